# mkimage/: the host tool that writes the disk image (see docs/mkimage.md).

MKIMAGE_SRCS := $(filter-out mkimage/inspect.c,$(wildcard mkimage/*.c))
# The reader side (--inspect) lives in inspect.c, written separately: link
# it when it exists, else mkimage says "--inspect: not built".
MKIMAGE_INSPECT := $(wildcard mkimage/inspect.c)
MKIMAGE_OBJS := $(MKIMAGE_SRCS:%.c=$(B)/host/%.o) $(MKIMAGE_INSPECT:%.c=$(B)/host/%.o)
# common/ code goes in through an archive: only what mkimage calls is linked.
MKIMAGE_COMMON_LIB := $(B)/host/mkimage/libcommon.a

ifneq ($(MKIMAGE_INSPECT),)
$(B)/host/mkimage/main.o: HOST_CFLAGS += -DMKIMAGE_HAVE_INSPECT
endif
# main.o is rebuilt when inspect.c appears or disappears.
$(B)/host/mkimage/main.o: $(wildcard mkimage/inspect.h) mkimage/build.mk

$(MKIMAGE_COMMON_LIB): $(COMMON_HOST_SRCS:%.c=$(B)/host/%.o)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# Linked statically: mkimage runs in the edit-build-boot loop, where the
# dynamic loader's work was a quarter of its run time (3.2 -> 2.4 ms for
# the default image); it still needs nothing beyond libc.
MKIMAGE_LDFLAGS ?= -static
$(MKIMAGE): $(MKIMAGE_OBJS) $(MKIMAGE_COMMON_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(MKIMAGE_LDFLAGS) $(MKIMAGE_OBJS) $(MKIMAGE_COMMON_LIB) -o $@

# Unit tests link everything but main().
HOST_TESTABLE_SRCS += $(filter-out mkimage/main.c,$(MKIMAGE_SRCS)) $(MKIMAGE_INSPECT)
ALL_TARGETS += $(MKIMAGE)
TEST_DEPS += $(MKIMAGE)

# mkimage/: the host tool that writes the disk image (see docs/mkimage.md).

MKIMAGE_SRCS := $(wildcard mkimage/*.c)
MKIMAGE_OBJS := $(MKIMAGE_SRCS:%.c=$(B)/host/%.o)
# common/ code goes in through an archive: only what mkimage calls is linked.
MKIMAGE_COMMON_LIB := $(B)/host/mkimage/libcommon.a

# The UEFI-only image's MBR code is nasm source (bios/nobios.asm); its
# bytes become a C array mbr.c includes.
MKIMAGE_GEN := $(B)/mkimage/gen
$(MKIMAGE_GEN)/nobios.h: bios/nobios.asm | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(NASM) -f bin -o $(MKIMAGE_GEN)/nobios.bin $<
	$(Q)xxd -i -n mk_nobios_code $(MKIMAGE_GEN)/nobios.bin | sed 's/^unsigned/const unsigned/' > $@.tmp
	$(Q)mv $@.tmp $@
$(B)/host/mkimage/mbr.o $(B)/host-san/mkimage/mbr.o: $(MKIMAGE_GEN)/nobios.h
$(B)/host/mkimage/%.o $(B)/host-san/mkimage/%.o: HOST_CFLAGS += -I$(MKIMAGE_GEN)

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
HOST_TESTABLE_SRCS += $(filter-out mkimage/main.c,$(MKIMAGE_SRCS))
ALL_TARGETS += $(MKIMAGE)
TEST_DEPS += $(MKIMAGE)

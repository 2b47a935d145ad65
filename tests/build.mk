# Tests: host unit tests (ASan + UBSan) and the scripts tests/run.sh runs.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/unit/%)
HOST_TESTABLE_OBJS = $(HOST_TESTABLE_SRCS:%.c=$(B)/host-san/%.o)

# Every unit test links against all host-testable code through an
# archive: the linker takes only the objects a test uses, so a test can
# stand in for a layer (fake BIOS calls, a fake boot platform) by
# defining its functions itself.
UNIT_LIB := $(B)/host-san/libunit.a
$(UNIT_LIB): $(HOST_TESTABLE_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^
$(B)/tests/unit/%: tests/unit/%.c $(UNIT_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -Itests/unit -Ikernel -Imkimage -Ibios -Iuefi $^ -o $@

# fatcat reads a FAT volume in an image through common/fat.c, built with
# the sanitizers so the shell tests also exercise the driver under ASan.
FATCAT := $(B)/tests/fatcat
FAT_READER_SRCS := common/fat.c common/fat_name.c common/fat_table.c common/fat_walk.c common/utf8.c \
	common/mem_util.c
$(FATCAT): tests/tools/fatcat.c $(FAT_READER_SRCS:%.c=$(B)/host-san/%.o) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) $^ -o $@
TEST_DEPS += $(FATCAT)

# Objects that only a pattern rule names are "intermediate" to make, which
# would delete them after every build and rebuild them all next time.
.SECONDARY: $(HOST_TESTABLE_OBJS)

# What the test scripts need built besides the image (fragments add; they
# are included here, before test-build's prerequisites are read).
TEST_DEPS += $(UNIT_BINS)
include tests/fuzz/build.mk

.PHONY: test-build
test-build: $(TEST_DEPS) $(IMG)

test: test-build
	$(Q)tests/run.sh

test-quick: test-build
	$(Q)tests/run.sh --quick

# One or more matrix rows by name: make test-row ROW="uefi-nvme bios-mem6g"
# (BOOT_FW=bochs: SeaBIOS rows under Bochs instead; see docs/testing.md)
.PHONY: test-row
test-row: test-build
	$(Q)tests/boot/matrix.sh $(ROW)

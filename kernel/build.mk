# kernel/ build rules (see the top-level Makefile).
#
#   build/kernel/kernel.elf          the kernel that goes on the image: symbols, no DWARF
#   build/kernel/kernel.debug.elf    the same link with its debug info, for GDB
#   build/kernel/kernel-alt.elf      same, plus the line "hyboot: kernel variant alt"
#   build/kernel/kernel-pad<N>.elf   same, plus N MiB of checked pseudo-random .data
#   build/kernel/font.c              8x16 font generated from console-data's default8x16
#   build/tests/fbcheck              finds rendered text in a QEMU screendump

KB := $(B)/kernel
KERNEL_FONT_PSF ?= /usr/share/consolefonts/default8x16.psf.gz

KERNEL_CFLAGS = $(TARGET_CFLAGS) -m64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-omit-frame-pointer -Ikernel -MMD -MP
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --build-id=none \
	-T kernel/kernel.ld

# Hardware-independent parts: also built for the host and unit-tested.
KERNEL_HOST_SRCS := kernel/fbrender.c kernel/textcon.c kernel/cmdline.c kernel/timing.c
KERNEL_SRCS := $(KERNEL_HOST_SRCS) kernel/main.c kernel/cpu.c kernel/kprint.c kernel/selftest.c \
	kernel/selftest_util.c kernel/selftest_v2.c kernel/summary_v2.c kernel/vm.c
KERNEL_ASM := kernel/entry.S kernel/isr.S
KERNEL_COMMON := fmt mem mem_util serial memmap sha256 crc32 paging fwtables rtc unixtime

KERNEL_OBJS := $(KERNEL_SRCS:kernel/%.c=$(KB)/obj/%.o) $(KERNEL_ASM:kernel/%.S=$(KB)/obj/%.o) \
	$(KERNEL_COMMON:%=$(KB)/common/%.o) $(KB)/obj/font.o

$(KB)/obj/%.o: kernel/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(KB)/obj/%.o: kernel/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(KB)/common/%.o: common/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(KB)/obj/font.o: $(KB)/font.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# Host tools used by the build.
$(KB)/mkfont: kernel/tools/mkfont.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $< -o $@
$(KB)/mkpad: kernel/tools/mkpad.c kernel/pad.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $< -o $@

# The font is read from the Debian package console-data (scripts/deps.sh
# installs it); it is named in the recipe, not as a prerequisite, so a
# missing package is reported by the deps step rather than by make.
$(KB)/font.c: $(KB)/mkfont | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)gzip -dc $(KERNEL_FONT_PSF) > $(KB)/default8x16.psf
	$(Q)$(KB)/mkfont $(KB)/default8x16.psf hy_font_8x16 $(CURDIR)/kernel/font.h > $@.tmp && mv $@.tmp $@

# Variants: one object says which build this is, one holds the pad.
$(KB)/variant-base.o: kernel/variant.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(KB)/variant-alt.o: kernel/variant.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -DKERNEL_VARIANT_ALT -c $< -o $@
$(KB)/nopad.o: kernel/pad.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(KB)/pad%.bin: $(KB)/mkpad | $(DEPS_STAMP)
	$(Q)$(KB)/mkpad $* > $@.tmp && mv $@.tmp $@
# (no -MMD here: a build/kernel/pad<N>.d would match this pattern through
# make's built-in "%: %.o" rule when make tries to remake included files)
$(KB)/pad%.o: kernel/pad.S $(KB)/pad%.bin | $(DEPS_STAMP)
	$(Q)$(CC) $(filter-out -MMD -MP,$(KERNEL_CFLAGS)) -DPAD_FILE='"$(KB)/pad$*.bin"' -c $< -o $@
.PRECIOUS: $(KB)/pad%.bin $(KB)/pad%.o

# The image gets the kernel without DWARF and symbol table (five sixths of
# the file): every byte on the image is read and hashed at boot
# (docs/performance.md); GDB and nm read kernel.debug.elf (scripts/debug.sh).
$(KB)/kernel.debug.elf: $(KERNEL_OBJS) $(KB)/variant-base.o $(KB)/nopad.o kernel/kernel.ld
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(filter %.o,$^)
$(KERNEL_ELF): $(KB)/kernel.debug.elf
	$(Q)$(OBJCOPY) --strip-all $< $@
$(KB)/kernel-alt.elf: $(KERNEL_OBJS) $(KB)/variant-alt.o $(KB)/nopad.o kernel/kernel.ld
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(filter %.o,$^)
$(KB)/kernel-pad%.elf: $(KERNEL_OBJS) $(KB)/variant-base.o $(KB)/pad%.o kernel/kernel.ld
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(filter %.o,$^)

# fbcheck: the kernel's own renderer and font, on the host.
FBCHECK := $(B)/tests/fbcheck
$(FBCHECK): tests/tools/fbcheck.c kernel/fbrender.c $(KB)/font.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Ikernel $^ -o $@

HOST_TESTABLE_SRCS += $(KERNEL_HOST_SRCS) $(KB)/font.c
ALL_TARGETS += $(KERNEL_ELF) $(KB)/kernel.debug.elf
TEST_DEPS += $(KERNEL_ELF) $(KB)/kernel-pad16.elf $(KB)/kernel-alt.elf $(FBCHECK) $(KB)/mkfont

# mbstub: a test-only multiboot loader (tests/kernel/mbstub/) so the
# kernel's own tests boot it in QEMU (-kernel mbstub.elf -initrd
# kernel.elf) independently of the real loaders. 32-bit, like stage2.
MBSTUB := $(B)/tests/mbstub.elf
# It links the shared table checks and RTC reader to find what it hands
# over; --gc-sections drops what it does not call (some of that would
# need libgcc's 64-bit division on i386).
MBSTUB_CFLAGS = $(TARGET_CFLAGS) -m32 -march=i686 -mgeneral-regs-only -ffunction-sections -Ikernel -MMD -MP
MBSTUB_OBJS := $(B)/tests/mbstub/start.o $(B)/tests/mbstub/stub.o $(B)/tests/mbstub/v2.o \
	$(patsubst %,$(B)/tests/mbstub/common/%.o,crc32 elf fmt mem mem_util memmap paging serial tsc fwtables rtc unixtime)
$(B)/tests/mbstub/%.o: tests/kernel/mbstub/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(MBSTUB_CFLAGS) -c $< -o $@
$(B)/tests/mbstub/%.o: tests/kernel/mbstub/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(MBSTUB_CFLAGS) -c $< -o $@
$(B)/tests/mbstub/common/%.o: common/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(MBSTUB_CFLAGS) -c $< -o $@
$(MBSTUB): $(MBSTUB_OBJS) tests/kernel/mbstub/stub.ld
	$(Q)$(LD) -m elf_i386 -nostdlib -static -z noexecstack --build-id=none --no-warn-rwx-segments --gc-sections \
		-T tests/kernel/mbstub/stub.ld -o $@ $(filter %.o,$^)
TEST_DEPS += $(MBSTUB)

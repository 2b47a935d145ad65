# uefi/ build rules (see the top-level Makefile)
#
# BOOTX64.EFI on Debian's gnu-efi 3.0.x: our objects (and the common/*.c we
# use, rebuilt with our flags into build/uefi/common/) are linked as a
# position-independent ELF shared object with gnu-efi's crt0 and linker
# script; objcopy turns that into a PE32+ image with subsystem 10 (EFI
# application). crt0 calls _relocate (libgnuefi) to apply the ELF
# R_X86_64_RELATIVE relocations itself, then efi_main.

GNUEFI_INC  ?= /usr/include/efi
GNUEFI_LIB  ?= /usr/lib
GNUEFI_CRT0 := $(GNUEFI_LIB)/crt0-efi-x86_64.o
GNUEFI_LDS  := $(GNUEFI_LIB)/elf_x86_64_efi.lds

# -fpic overrides TARGET_CFLAGS' -fno-pic (last one wins): the image is
# relocated by _relocate at load time. -mno-red-zone because firmware
# interrupt handlers run on our stack. MS ABI attributes on the EFI
# function pointers let us call the firmware directly.
# -mgeneral-regs-only: no SSE/MMX/x87 code. Firmware need not have set
# CR4.OSFXSR (U-Boot does not: its first xmm instruction is a #UD);
# tests/uefi/test_uefi_no_simd.sh checks every built loader.
UEFI_CFLAGS = $(TARGET_CFLAGS) -fpic -fshort-wchar -mno-red-zone \
	-mgeneral-regs-only -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI \
	-I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64 -Iuefi

# Loader sources; the *_logic.c files hold pure code without EFI headers,
# unit-tested on the host (tests/unit/test_uefi_*.c).
UEFI_SRCS := $(wildcard uefi/*.c)
UEFI_ASM  := uefi/handoff.S
# Every common/*.c (all freestanding by design), as for stage2, through an
# archive: the linker takes only the objects the loader calls into (the
# firmware reads the whole file from the stick at each boot; the FAT
# writer's rules, the walk, the RTC are not in it).
UEFI_COMMON = $(COMMON_SRCS)
UEFI_COMMON_LIB := $(B)/uefi/libcommon.a
$(UEFI_COMMON_LIB): $(UEFI_COMMON:common/%.c=$(B)/uefi/common/%.o)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

UEFI_OBJS := $(UEFI_SRCS:%.c=$(B)/%.o) $(UEFI_ASM:%.S=$(B)/%.o) $(UEFI_COMMON_LIB)

# The pure parts are unit-tested on the host.
HOST_TESTABLE_SRCS += uefi/mmap_logic.c uefi/gop_logic.c

$(B)/uefi/%.o: uefi/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI_CFLAGS) -MMD -MP -c $< -o $@
$(B)/uefi/%.o: uefi/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI_CFLAGS) -MMD -MP -c $< -o $@
$(B)/uefi/common/%.o: common/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI_CFLAGS) -MMD -MP -c $< -o $@

# $(call EFI_LINK,OBJECTS,OUT.so): link objects with gnu-efi's crt0 and
# linker script as a -shared -Bsymbolic ELF. --no-undefined: a shared
# object may otherwise link with a missing symbol and crash at run time
# in firmware. (bench/build.mk links its UEFI floor loader with this too.)
# Only libgnuefi (crt0's _relocate): nothing of libefi was used, and its
# prebuilt code is not built without SSE.
define EFI_LINK
	@mkdir -p $(dir $(2))
	$(Q)$(LD) -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined \
		-T $(GNUEFI_LDS) -L$(GNUEFI_LIB) $(GNUEFI_CRT0) $(1) -lgnuefi -o $(2)
endef

# $(call EFI_PE,IN.so,OUT.EFI): the recipe of gnu-efi 3.0.x's Make.rules
# (.rodata lives inside .data in its linker script), then
# uefi/check-efi.sh refuses anything that is not a PE32+ x86-64 EFI
# application with only relative relocations. The temporary name carries
# make's PID: several people may build in one tree at once.
define EFI_PE
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		-j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc -j .sbat \
		--target efi-app-x86_64 --subsystem=10 $(1) $(2).tmp$$PPID
	$(Q)OBJDUMP=$(OBJDUMP) uefi/check-efi.sh $(2).tmp$$PPID $(1) || { rm -f $(2).tmp$$PPID; exit 1; }
	$(Q)mv $(2).tmp$$PPID $(2)
endef

$(B)/uefi/BOOTX64.so: $(UEFI_OBJS) $(GNUEFI_LDS) $(GNUEFI_CRT0) | $(DEPS_STAMP)
	$(call EFI_LINK,$(UEFI_OBJS),$@)
$(EFI_BIN): $(B)/uefi/BOOTX64.so uefi/check-efi.sh | $(DEPS_STAMP)
	$(call EFI_PE,$<,$@)

ALL_TARGETS += $(EFI_BIN)

# BOOTIA32.EFI: the same loader built for 32-bit UEFI (Bay Trail / Cherry
# Trail tablets and netbooks run a 64-bit CPU under 32-bit firmware). The
# EFI calls are cdecl there; after ExitBootServices common/long_mode32.S
# takes the CPU into long mode, as stage2 does.
GNUEFI_LIB32  ?= /usr/lib32
GNUEFI_CRT0_32 := $(GNUEFI_LIB32)/crt0-efi-ia32.o
GNUEFI_LDS_32  := $(GNUEFI_LIB32)/elf_ia32_efi.lds
UEFI32_CFLAGS = $(TARGET_CFLAGS) -m32 -march=i686 -mgeneral-regs-only -fpic -fshort-wchar \
	-I$(GNUEFI_INC) -I$(GNUEFI_INC)/ia32 -Iuefi
UEFI32_COMMON_LIB := $(B)/uefi32/libcommon.a
$(UEFI32_COMMON_LIB): $(UEFI_COMMON:common/%.c=$(B)/uefi32/common/%.o)
	$(Q)rm -f $@ && $(AR) rcs $@ $^
UEFI32_OBJS := $(UEFI_SRCS:uefi/%.c=$(B)/uefi32/%.o) $(B)/uefi32/common/long_mode32.o $(UEFI32_COMMON_LIB)
$(B)/uefi32/%.o: uefi/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI32_CFLAGS) -MMD -MP -c $< -o $@
$(B)/uefi32/common/%.o: common/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI32_CFLAGS) -MMD -MP -c $< -o $@
$(B)/uefi32/common/%.o: common/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI32_CFLAGS) -c $< -o $@
$(B)/uefi32/BOOTIA32.so: $(UEFI32_OBJS) $(GNUEFI_LDS_32) $(GNUEFI_CRT0_32) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(LD) -m elf_i386 -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined \
		-T $(GNUEFI_LDS_32) -L$(GNUEFI_LIB32) $(GNUEFI_CRT0_32) $(UEFI32_OBJS) -lgnuefi -o $@
$(EFI32_BIN): $(B)/uefi32/BOOTIA32.so uefi/check-efi.sh | $(DEPS_STAMP)
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		-j .rel -j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-ia32 --subsystem=10 $< $@.tmp$$PPID
	$(Q)EFI_ARCH=ia32 OBJDUMP=$(OBJDUMP) uefi/check-efi.sh $@.tmp$$PPID $< || { rm -f $@.tmp$$PPID; exit 1; }
	$(Q)mv $@.tmp$$PPID $@

ALL_TARGETS += $(EFI32_BIN)

# Test builds: the same loader with a forced memory-map change before its
# first ExitBootServices (mapchange: the retry must succeed) or before
# every one (mapchurn: the loader must give up with its error line); see
# the uefi-ebs-retry / uefi-ebs-fail rows of tests/boot/matrix.tsv.
UEFI_TEST_VARIANTS := mapchange=1 mapchurn=2
define UEFI_TEST_VARIANT
$(B)/uefi/test/memmap_efi_$(1).o: uefi/memmap_efi.c | $$(DEPS_STAMP)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(UEFI_CFLAGS) -DHYBOOT_TEST_MAP_CHANGE=$(2) -MMD -MP -c $$< -o $$@
$(B)/uefi/test/BOOTX64-$(1).so: $(filter-out $(B)/uefi/memmap_efi.o,$(UEFI_OBJS)) $(B)/uefi/test/memmap_efi_$(1).o $$(GNUEFI_LDS) $$(GNUEFI_CRT0) | $$(DEPS_STAMP)
	$$(call EFI_LINK,$$(filter-out $$(GNUEFI_CRT0),$$(filter %.o,$$^)) $$(filter %.a,$$^),$$@)
$(B)/uefi/test/BOOTX64-$(1).EFI: $(B)/uefi/test/BOOTX64-$(1).so uefi/check-efi.sh | $$(DEPS_STAMP)
	$$(call EFI_PE,$$<,$$@)
TEST_DEPS += $(B)/uefi/test/BOOTX64-$(1).EFI
endef
$(foreach v,$(UEFI_TEST_VARIANTS),$(eval $(call UEFI_TEST_VARIANT,$(word 1,$(subst =, ,$(v))),$(word 2,$(subst =, ,$(v))))))

# make run-uefi: boot the image with OVMF (window when DISPLAY is set).
run-uefi: $(IMG)
	tests/boot/qemu-boot.sh --run --fw uefi --image $(IMG)

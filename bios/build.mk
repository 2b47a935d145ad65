# bios/ build rules (see the top-level Makefile): stage1 (MBR code) and
# stage2 (real-mode entry + 32-bit C), both flat binaries.

BIOS_B := $(B)/bios

# The low-memory layout for nasm: common/bios_layout.h's "#define NAME
# value" lines as "%define NAME value" (comments dropped), so stage1,
# entry.asm and the C code share one definition.
BIOS_LAYOUT_INC := $(BIOS_B)/layout.inc
$(BIOS_LAYOUT_INC): common/bios_layout.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)sed -n 's|/\*.*\*/||; s/^#define[[:space:]]\+\([A-Z0-9_]\+\)[[:space:]]\+\(.*[^[:space:]]\)[[:space:]]*$$/%define \1 \2/p' $< > $@.tmp && mv $@.tmp $@
NASM_BIOS = $(NASM) -I$(BIOS_B)/

# stage1: exactly 440 bytes; nasm refuses to assemble it when the code
# grows into the patch record at offset 424 (a negative "times").
$(STAGE1_BIN): bios/stage1.asm $(BIOS_LAYOUT_INC) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(NASM_BIOS) -f bin -o $@ $<
	$(Q)test $$(stat -c %s $@) -le 440 || { echo "$@: larger than 440 bytes" >&2; rm -f $@; exit 1; }

ALL_TARGETS += $(STAGE1_BIN)
TEST_DEPS += $(STAGE1_BIN)

.PHONY: run-bios
# Prints the QEMU command, then runs it on this terminal (serial on stdio).
# Exit status 33 is the kernel's "SELFTEST PASS" through isa-debug-exit.
run-bios: $(IMG)
	@tests/boot/qemu-boot.sh --run --fw bios --image $(IMG); st=$$?; \
	  [ $$st -eq 0 ] || [ $$st -eq 33 ] || { echo "qemu exit status $$st"; exit $$st; }

# stage2: nasm entry (real mode, thunk, long-mode jump) + 32-bit C.
STAGE2_ASM := bios/entry.asm
STAGE2_C := $(wildcard bios/*.c)
# Every common/*.c (all freestanding by design): a helper one of them
# starts to use later is then already linked. Unused functions are
# dropped by --gc-sections.
STAGE2_COMMON = $(COMMON_SRCS)
# min-pagesize=0: low-memory pointers (BDA at 0x400..) are real data here,
# not "null plus an offset" as GCC 12 would warn.
BIOS_CFLAGS = $(TARGET_CFLAGS) -m32 -march=i686 -mno-sse -mno-mmx -mno-80387 \
	-mgeneral-regs-only -Os -Ibios -ffunction-sections -fdata-sections \
	--param=min-pagesize=0
STAGE2_OBJS = $(BIOS_B)/entry.o $(BIOS_B)/common/long_mode32.o $(STAGE2_C:bios/%.c=$(BIOS_B)/%.o) \
	$(STAGE2_COMMON:common/%.c=$(BIOS_B)/common/%.o)

$(BIOS_B)/entry.o: bios/entry.asm $(BIOS_LAYOUT_INC) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(NASM_BIOS) -f elf32 -o $@ $<
$(BIOS_B)/%.o: bios/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -MP -c $< -o $@
$(BIOS_B)/common/%.o: common/%.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BIOS_CFLAGS) -c $< -o $@
$(BIOS_B)/common/%.o: common/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -MP -c $< -o $@

# The kernel's SHA-256 is stage2's hottest loop (16 MiB in ~1 s under
# TCG at -O2, a third slower at -Os).
$(BIOS_B)/common/sha256.o: BIOS_CFLAGS += -O2

# The linker script takes its addresses from common/bios_layout.h.
$(BIOS_B)/stage2.ld: bios/stage2.ld.S common/bios_layout.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c -Icommon $< -o $@
$(BIOS_B)/stage2.elf: $(STAGE2_OBJS) $(BIOS_B)/stage2.ld | $(DEPS_STAMP)
	$(Q)$(LD) -m elf_i386 -nostdlib --gc-sections --no-warn-rwx-segments -T $(BIOS_B)/stage2.ld -Map $(BIOS_B)/stage2.map -o $@ $(STAGE2_OBJS)
$(STAGE2_BIN): $(BIOS_B)/stage2.elf
	$(Q)$(OBJCOPY) -O binary $< $@

ALL_TARGETS += $(STAGE2_BIN)
TEST_DEPS += $(STAGE2_BIN)

# Pure parts of stage2 whose only BIOS contact is bios_service: unit
# tests link them with a scripted fake BIOS (tests/unit/test_bios_*.c).
HOST_TESTABLE_SRCS += bios/memory.c

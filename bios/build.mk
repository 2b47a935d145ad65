# bios/ build rules (see the top-level Makefile): stage1 (MBR code) and
# stage2 (real-mode entry + 32-bit C), both flat binaries.

BIOS_B := $(B)/bios

# stage1: exactly 440 bytes; nasm refuses to assemble it when the code
# grows into the patch record at offset 424 (a negative "times").
$(STAGE1_BIN): bios/stage1.asm | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(NASM) -f bin -o $@ $<
	$(Q)test $$(stat -c %s $@) -le 440 || { echo "$@: larger than 440 bytes" >&2; rm -f $@; exit 1; }

ALL_TARGETS += $(STAGE1_BIN)
TEST_DEPS += $(STAGE1_BIN)

.PHONY: run-bios
run-bios: $(IMG)
	tests/boot/qemu-boot.sh --run --fw bios --image $(IMG)

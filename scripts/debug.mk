# make debug-bios / make debug-uefi: QEMU halted with its GDB stub, and
# GDB command files in build/debug/ (scripts/debug.sh, docs/debugging.md).
#   make debug-uefi DEBUG_PORT=1235 QEMU_ARGS="-m 2G"
.PHONY: debug-bios debug-uefi
debug-bios debug-uefi: $(IMG)
	$(Q)scripts/debug.sh $(@:debug-%=%) $(IMG)

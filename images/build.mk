# images/: recipes (committed) and the images built from them (ignored).

$(IMG): images/disk.conf $(MKIMAGE) $(KERNEL_ELF) $(STAGE1_BIN) $(STAGE2_BIN) $(EFI_BIN) $(EFI32_BIN)
	$(Q)$(MKIMAGE) -c images/disk.conf -o $@

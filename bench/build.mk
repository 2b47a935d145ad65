# bench/: `make bench` (not part of `make test`). See bench/bench.py and
# docs/performance.md.

BENCH_PKGS := grub-pc-bin grub-efi-amd64-bin grub-common xorriso
BENCH_DEPS := $(IMG) $(B)/bench/floor.efi $(B)/bench/hello.elf \
	$(B)/kernel/kernel-pad1.elf $(B)/kernel/kernel-pad8.elf $(B)/kernel/kernel-pad32.elf

.PHONY: bench
# make's command-line variables reach the scripts only when exported
export RUNS ACCEL BENCH_ONLY
bench: $(BENCH_DEPS)
	$(Q)scripts/deps.sh $(BENCH_PKGS)
	$(Q)python3 bench/bench.py
	$(Q)$(if $(filter boot,$(BENCH_ONLY)),true,python3 bench/flash_bench.py)

# GRUB's multiboot2 hello kernel.
$(B)/bench/hello.elf: bench/grub/hello.asm | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(NASM) -f elf32 $< -o $(@:.elf=.o)
	$(Q)$(LD) -m elf_i386 -Ttext=0x100000 $(@:.elf=.o) -o $@

# The UEFI floor, linked like BOOTX64.EFI (uefi/build.mk's EFI_LINK/EFI_PE).
$(B)/bench/floor_efi.o: bench/floor/floor_efi.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(CC) $(UEFI_CFLAGS) -c $< -o $@
$(B)/bench/floor.so: $(B)/bench/floor_efi.o
	$(call EFI_LINK,$^,$@)
$(B)/bench/floor.efi: $(B)/bench/floor.so
	$(call EFI_PE,$<,$@)

# Builds mkimage test inputs in $T (sourced after tests/lib.sh):
#   $KERNEL  a valid ELF64 higher-half kernel (the real one when built)
#   $STAGE1  440 bytes with the "HYS1" record at 424
#   $STAGE2  8 bytes, "HYSTAGE2", its size, padding
#   $EFI     the real BOOTX64.EFI when built, else helpers.py's minimal EFI application
#   $EFI32   the real BOOTIA32.EFI when built, else a minimal i386 one
# shellcheck shell=bash

make_inputs() {
  if [ -f "$B/kernel/kernel.elf" ]; then
    KERNEL=$T/kernel.elf; cp "$B/kernel/kernel.elf" "$KERNEL"
  else
    KERNEL=$T/kernel.elf
    printf 'void _start(void) { for (;;) __asm__ volatile("hlt"); }\n' > "$T/k.c"
    gcc -nostdlib -static -fno-pic -no-pie -mcmodel=kernel -Wl,-Ttext-segment=0xffffffff80000000 \
      -Wl,--build-id=none -o "$KERNEL" "$T/k.c" || return 1
  fi
  STAGE1=$T/stage1.bin
  { printf '\xeb\x58\x90'; head -c 421 /dev/zero; printf 'HYS1'; head -c 12 /dev/zero; } > "$STAGE1"
  STAGE2=$T/stage2.bin
  # jmp (8 bytes), magic, size 4024 (0x0fb8) little-endian, reserved, body
  { printf '\xe9\x00\x00\x00\x00\x00\x00\x00HYSTAGE2\xb8\x0f\x00\x00\x00\x00\x00\x00'; head -c 4000 /dev/urandom; } > "$STAGE2"
  if [ -f "$B/uefi/BOOTX64.EFI" ]; then
    EFI=$T/BOOTX64.EFI; cp "$B/uefi/BOOTX64.EFI" "$EFI"
  else
    EFI=$T/BOOTX64.EFI
    python3 "$TOP/tests/image/helpers.py" fakepe "$EFI" || return 1
  fi
  EFI32=$T/BOOTIA32.EFI
  if [ -f "$B/uefi32/BOOTIA32.EFI" ]; then cp "$B/uefi32/BOOTIA32.EFI" "$EFI32"
  else python3 "$TOP/tests/image/helpers.py" fakepe32 "$EFI32" || return 1; fi
  # shellcheck disable=SC2034  # used by the sourcing scripts
  INPUTS=(--kernel "$KERNEL" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$STAGE2")
}

#!/usr/bin/env bash
# What a user breaks, the loader names: a kernel with one byte flipped is
# refused with the sha256 line, a deleted kernel gives "not found", and a
# deleted boot.cfg boots the default kernel with defaults (and says so).
# All on copies of images/disk.img edited with mtools. Skipped with QUICK=1.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
[ "${QUICK:-0}" = 1 ] && { echo "info: uefi/errors skipped (QUICK=1)"; exit 0; }
need_file "$IMG" uefi/errors "make disk.img"
off=$(esp_offset "$IMG")

# corrupt: flip one byte in the middle of /boot/kernel.elf
cp --sparse=always "$IMG" "$T/corrupt.img"
if mcopy -n -i "$T/corrupt.img@@$off" ::/boot/kernel.elf "$T/k" &&
   python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=0x01; open(p,"wb").write(b)' "$T/k" &&
   mcopy -o -i "$T/corrupt.img@@$off" "$T/k" ::/boot/kernel.elf; then
  uefi_boot "uefi/errors: a corrupted kernel is refused with the sha256 message" "$T/corrupt.log" \
    --image "$T/corrupt.img" --expect 'hyboot: error: /boot/kernel.elf: sha256 mismatch'
  if clean_log "$T/corrupt.log" | grep -q 'Hello World!'; then
    fail "uefi/errors: the corrupted kernel never runs" "the kernel printed Hello World!"
  else
    pass "uefi/errors: the corrupted kernel never runs"
  fi
else
  fail "uefi/errors: a corrupted kernel is refused with the sha256 message" "could not patch the kernel with mtools"
fi

# missing: delete /boot/kernel.elf
cp --sparse=always "$IMG" "$T/missing.img"
if mdel -i "$T/missing.img@@$off" ::/boot/kernel.elf; then
  uefi_boot "uefi/errors: a missing kernel gives its message" "$T/missing.log" \
    --image "$T/missing.img" --expect 'hyboot: error: /boot/kernel.elf: not found'
else
  fail "uefi/errors: a missing kernel gives its message" "mdel failed"
fi

# no boot.cfg: defaults (the default kernel path, no hash, empty command
# line, so the kernel does not run its self-test and does not exit QEMU)
cp --sparse=always "$IMG" "$T/nocfg.img"
if mdel -i "$T/nocfg.img@@$off" ::/boot/boot.cfg; then
  uefi_boot "uefi/errors: without boot.cfg the loader says so and boots the default kernel" "$T/nocfg.log" \
    --image "$T/nocfg.img" --expect 'hyboot: uefi: no /boot/boot.cfg, using defaults' --expect '^Hello World!'
else
  fail "uefi/errors: without boot.cfg the loader says so and boots the default kernel" "mdel failed"
fi
finish

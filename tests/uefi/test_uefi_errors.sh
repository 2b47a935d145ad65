#!/usr/bin/env bash
# What a user breaks, the loader names: a kernel with one byte flipped is
# refused with the sha256 line, a deleted kernel gives "not found", a
# deleted boot.cfg boots the default kernel with defaults (and says so), a
# file that is not an ELF (hash updated) gives elf_plan's reason, and a
# kernel whose 900 MiB bss cannot fit in 256 MiB of RAM gives "out of
# memory". All on copies of images/disk.img edited with mtools. Skipped
# with QUICK=1.
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
    --image "$T/nocfg.img" --expect 'hyboot: no /boot/boot.cfg: defaults' --expect '^Hello World!'
else
  fail "uefi/errors: without boot.cfg the loader says so and boots the default kernel" "mdel failed"
fi

# replace_kernel NAME FILE: copy FILE over /boot/kernel.elf of a fresh copy
# of the image and put its hash into boot.cfg (what a user would do).
replace_kernel() {
  local img="$T/$1.img" sum
  sum=$(sha256sum "$2" | cut -d' ' -f1)
  cp --sparse=always "$IMG" "$img" &&
    mcopy -o -i "$img@@$off" "$2" ::/boot/kernel.elf &&
    mtype -i "$img@@$off" ::/boot/boot.cfg | tr -d '\r' |
      sed "s/^kernel_sha256=.*/kernel_sha256=$sum/" > "$T/$1.cfg" &&
    mcopy -o -i "$img@@$off" "$T/$1.cfg" ::/boot/boot.cfg
}

printf 'this is not a kernel\n' > "$T/notelf"
if replace_kernel notelf "$T/notelf"; then
  uefi_boot "uefi/errors: a file that is not an ELF is refused with elf_plan's reason" "$T/notelf.log" \
    --image "$T/notelf.img" --expect 'hyboot: error: /boot/kernel.elf: bad ELF: not an ELF file'
else
  fail "uefi/errors: a file that is not an ELF is refused with elf_plan's reason" "could not edit the ESP"
fi

# A valid ELF64 kernel: one RWX PT_LOAD at the usual link address, 16
# bytes of code (cli; hlt loop) and 900 MiB of bss.
python3 - "$T/huge.elf" <<'PY'
import struct, sys
base = 0xffffffff80000000
code = bytes([0xfa, 0xf4, 0xeb, 0xfd]) + bytes(12)
eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62, 1,
                 base + 0x1000, 64, 0, 0, 64, 56, 1, 64, 0, 0)
ph = struct.pack("<IIQQQQQQ", 1, 7, 0x1000, base + 0x1000, base + 0x1000, len(code), 900 << 20, 0x1000)
open(sys.argv[1], "wb").write(eh + ph + bytes(0x1000 - 120) + code)
PY
if replace_kernel huge "$T/huge.elf"; then
  uefi_boot "uefi/errors: a kernel too big for RAM gives the out-of-memory line" "$T/huge.log" \
    --image "$T/huge.img" --mem 256M --expect 'hyboot: error: /boot/kernel.elf: not enough memory to place it'
else
  fail "uefi/errors: a kernel too big for RAM gives the out-of-memory line" "could not edit the ESP"
fi
finish

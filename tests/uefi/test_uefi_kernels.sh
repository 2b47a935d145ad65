#!/usr/bin/env bash
# Other kernels through the same loader: the alt build copied over
# /boot/kernel.elf with boot.cfg's kernel_sha256 updated (what a user does
# with mtools) boots and shows its variant line; a 16 MiB kernel
# (kernel-pad16.elf, image made by mkimage from the same recipe) boots to
# SELFTEST PASS. Skipped with QUICK=1.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
[ "${QUICK:-0}" = 1 ] && { echo "info: uefi/kernels skipped (QUICK=1)"; exit 0; }
need_file "$IMG" uefi/kernels "make disk.img"
ALT="$B/kernel/kernel-alt.elf"
PAD16="$B/kernel/kernel-pad16.elf"
need_file "$ALT" uefi/kernels "make $ALT"
need_file "$PAD16" uefi/kernels "make $PAD16"
off=$(esp_offset "$IMG")

cp --sparse=always "$IMG" "$T/alt.img"
sum=$(sha256sum "$ALT" | cut -d' ' -f1)
if mcopy -o -i "$T/alt.img@@$off" "$ALT" ::/boot/kernel.elf &&
   mtype -i "$T/alt.img@@$off" ::/boot/boot.cfg | tr -d '\r' |
     sed "s/^kernel_sha256=.*/kernel_sha256=$sum/" > "$T/boot.cfg" &&
   grep -q "^kernel_sha256=$sum" "$T/boot.cfg" &&
   mcopy -o -i "$T/alt.img@@$off" "$T/boot.cfg" ::/boot/boot.cfg; then
  uefi_boot "uefi/kernels: a replaced kernel with its new hash boots (variant alt)" "$T/alt.log" \
    --image "$T/alt.img" --expect '^Hello World!' --expect 'hyboot: kernel variant alt' \
    --expect 'SELFTEST PASS' --exit 33
else
  fail "uefi/kernels: a replaced kernel with its new hash boots (variant alt)" "could not edit the ESP with mtools"
fi

if out=$("$MKIMAGE" -c images/disk.conf --kernel "$PAD16" -o "$T/pad16.img" 2>&1); then
  uefi_boot "uefi/kernels: a 16 MiB kernel boots to SELFTEST PASS" "$T/pad16.log" \
    --image "$T/pad16.img" --expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33
  log_has "uefi/kernels: the 16 MiB kernel was read and verified" "$T/pad16.log" \
    'hyboot: kernel /boot/kernel.elf: 1[0-9]{7} bytes in .* sha256 ok'
  ms=$(loader_ms "$T/pad16.log")
  [ -n "$ms" ] && echo "info: pad16: loader entry->jump $ms ms"
else
  fail "uefi/kernels: a 16 MiB kernel boots to SELFTEST PASS" "mkimage: $out"
fi
finish

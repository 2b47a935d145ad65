#!/usr/bin/env bash
# SeaBIOS boots of images/disk.img and of broken variants of it (TCG).
# QUICK=1: only the q35 (AHCI) boot.
source "$(dirname "$0")/../lib.sh"
QB=$TOP/tests/boot/qemu-boot.sh
FBCHECK=$B/tests/fbcheck
PAD16=$B/kernel/kernel-pad16.elf
export MTOOLS_SKIP_CHECK=1
ESP="@@1M"              # the ESP starts at LBA 2048
PASS_ARGS=(--expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33)

[ -f "$IMG" ] || { fail "bios boot: $IMG" "missing (make disk.img)"; finish; }

# boot NAME IMAGE ARGS...: one SeaBIOS boot through qemu-boot.sh
boot() {
  local name=$1 image=$2; shift 2
  local out
  if out=$("$QB" --fw bios --image "$image" --log "$T/$name.log" "$@" 2>&1); then
    pass "bios boot: $name"
  else
    fail "bios boot: $name"
    printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
  fi
}
# the loader's and the kernel's timing lines, for the closing report
timing() {
  tr -d '\r' < "$T/$1.log" | grep -aE 'hyboot: stage2 (kernel /|jumping)|timing|tsc' | sed "s/^/    [$1] /"
}

boot q35-ahci "$IMG" --machine q35 "${PASS_ARGS[@]}"
timing q35-ahci
if [ "${QUICK:-0}" = 1 ]; then finish; fi

boot pc-ide "$IMG" --machine pc "${PASS_ARGS[@]}"
boot virtio "$IMG" --machine q35 --bus virtio "${PASS_ARGS[@]}"
boot usb-xhci "$IMG" --machine q35 --bus usb-xhci "${PASS_ARGS[@]}"
boot vga-none "$IMG" --vga none "${PASS_ARGS[@]}"

# The screen: the kernel's "Hello World!" on the VBE framebuffer.
if [ -x "$FBCHECK" ]; then
  boot screendump "$IMG" --no-exit-device --expect 'SELFTEST PASS' --screendump "$T/bios.ppm"
  check "bios screendump shows Hello World!" "$FBCHECK" "$T/bios.ppm" "Hello World!"
else
  fail "bios screendump" "$FBCHECK not built"
fi

# A kernel padded to 16 MiB.
if [ -f "$PAD16" ]; then
  if out=$("$MKIMAGE" -c "$TOP/images/disk.conf" --kernel "$PAD16" -o "$T/pad16.img" 2>&1); then
    boot kernel-16m "$T/pad16.img" "${PASS_ARGS[@]}"
    timing kernel-16m
    # 31 MiB of RAM hold the 16 MiB file but not it and an 18 MiB image
    boot kernel-16m-in-32m "$T/pad16.img" --mem 32M --expect 'hyboot: error: not enough memory for the kernel \([0-9]+ MiB'
  else
    fail "bios boot: kernel-16m" "mkimage could not build the image: $(printf '%s' "$out" | tail -n 3)"
  fi
  rm -f "$T/pad16.img"
else
  fail "bios boot: kernel-16m" "$PAD16 not built"
fi

# resolution= in boot.cfg picks the VBE mode.
if "$MKIMAGE" -c "$TOP/images/disk.conf" --resolution 800x600 -o "$T/x.img" >/dev/null 2>&1; then
  boot resolution-800x600 "$T/x.img" --expect 'framebuffer: VBE mode 0x[0-9a-f]+ 800x600 32 bpp' "${PASS_ARGS[@]}"
else
  fail "bios boot: resolution-800x600" "mkimage --resolution 800x600 failed"
fi

# Image variants whose BIOS path differs: no GPT at all (MBR-only, the
# escape hatch for CSMs that will not boot GPT media), FAT12 and FAT16 ESPs.
for v in "mbr-only:--mbr mbr-only" "fat12:--fat 12 --size 8M" "fat16:--fat 16"; do
  name=${v%%:*}
  # shellcheck disable=SC2086
  if "$MKIMAGE" -c "$TOP/images/disk.conf" ${v#*:} -o "$T/x.img" >/dev/null 2>&1; then
    boot "$name" "$T/x.img" "${PASS_ARGS[@]}"
  else
    fail "bios boot: $name" "mkimage ${v#*:} failed"
  fi
done

# Primary GPT header broken: stage2 uses the backup GPT at the disk's
# last LBA (common/esp_locate.c); with the backup broken too, the hybrid
# MBR's 0xEF entry.
cp --sparse=always "$IMG" "$T/x.img"
printf 'XXXX' | dd of="$T/x.img" bs=1 seek=$((512 + 16)) conv=notrunc status=none   # header CRC
boot gpt-broken-backup "$T/x.img" --expect 'GPT not used: GPT header CRC mismatch' --expect 'ESP found at LBA [0-9]+ .*via backup GPT' "${PASS_ARGS[@]}"
last=$(( $(stat -c %s "$T/x.img") / 512 - 1 ))
printf 'XXXX' | dd of="$T/x.img" bs=1 seek=$((last * 512 + 16)) conv=notrunc status=none
boot gpt-broken-mbr-fallback "$T/x.img" --expect 'GPT not used' --expect 'ESP found at LBA [0-9]+ .*via MBR' "${PASS_ARGS[@]}"

# The GPT's entry array "at" LBA 10^8, past the end of the disk (header
# CRC fixed up): refused against the disk size from INT 13h AH=48h before
# any read, and the backup GPT used.
cp --sparse=always "$IMG" "$T/x.img"
python3 - "$T/x.img" <<'PY'
import struct, sys, zlib
with open(sys.argv[1], "r+b") as f:
    f.seek(512); h = bytearray(f.read(92))
    struct.pack_into("<Q", h, 72, 100000000)       # entries_lba
    struct.pack_into("<I", h, 16, 0)
    struct.pack_into("<I", h, 16, zlib.crc32(bytes(h)))
    f.seek(512); f.write(h)
PY
boot gpt-entries-beyond-disk "$T/x.img" --expect 'GPT not used: GPT entries beyond the end of the disk' --expect 'via backup GPT' "${PASS_ARGS[@]}"

# One byte of the kernel flipped: boot.cfg's kernel_sha256 catches it.
cp --sparse=always "$IMG" "$T/x.img"
mcopy -n -i "$T/x.img$ESP" ::/boot/kernel.elf "$T/k.elf" &&
  python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=0xff; open(p,"wb").write(b)' "$T/k.elf" &&
  mcopy -o -i "$T/x.img$ESP" "$T/k.elf" ::/boot/kernel.elf
boot corrupt-kernel "$T/x.img" --expect 'hyboot: error: /boot/kernel.elf: sha256 mismatch'

# Kernel deleted.
cp --sparse=always "$IMG" "$T/x.img"
mdel -i "$T/x.img$ESP" ::/boot/kernel.elf
boot missing-kernel "$T/x.img" --expect 'hyboot: error: /boot/kernel.elf: not found' --screendump "$T/missing.ppm"
[ -x "$FBCHECK" ] && check "bios: stage2's error line is on the screen too" \
  "$FBCHECK" "$T/missing.ppm" "hyboot: error: /boot/kernel.elf: not found"

# BIOS boot partition zeroed: stage1 itself must say so.
cp --sparse=always "$IMG" "$T/x.img"
dd if=/dev/zero of="$T/x.img" bs=512 seek=34 count=$((2048 - 34)) conv=notrunc status=none
boot no-stage2 "$T/x.img" --expect 'hyboot: stage1' --expect 'hyboot: error: no stage2' --screendump "$T/nostage2.ppm"
[ -x "$FBCHECK" ] && check "bios: stage1's error line is on the screen too" \
  "$FBCHECK" "$T/nostage2.ppm" "hyboot: error: no stage2"

# ESP zeroed: no FAT where the partition tables point.
cp --sparse=always "$IMG" "$T/x.img"
dd if=/dev/zero of="$T/x.img" bs=1M seek=1 count=8 conv=notrunc status=none
boot no-esp "$T/x.img" --expect 'hyboot: error: no ESP'

rm -f "$T/x.img" "$T/k.elf"
finish

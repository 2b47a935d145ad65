#!/usr/bin/env bash
# Images in mkimage's less common layouts boot where they should (QEMU,
# TCG; SELFTEST PASS = exit status 33): one-firmware images, damaged
# images the loaders' rules say still boot (primary GPT zeroed or garbage:
# the backup; FAT #1 zeroed: FAT #2 under stage2), an image with modules,
# the --active-ee and --esp-mbr-type 0c hybrid variants, an MBR-only image
# under OVMF, and the smallest image (2 MiB, FAT12 ESP) under both.
# The default image, --mbr protective, mbr-only/FAT12/FAT16 under SeaBIOS
# are booted by tests/boot and tests/bios. QUICK=1: the one-firmware pair.
source "$(dirname "$0")/../lib.sh"

need() { [ -f "$1" ] || { echo "SKIP: $1 not built"; finish; }; }
need "$B/kernel/kernel.elf"; need "$B/uefi/BOOTX64.EFI"; need "$B/bios/stage1.bin"; need "$B/bios/stage2.bin"
[ -x "$MKIMAGE" ] || { fail "mkimage built" "$MKIMAGE missing"; finish; }
RECIPE=$TOP/images/disk.conf
BOOT=$TOP/tests/boot/qemu-boot.sh

# variant NAME FIRMWARES MKIMAGE-ARGS...: builds the image, boots it with
# each firmware (DAMAGE, when set, is a command run on the image first).
variant() {
  local name=$1 fws=$2; shift 2
  local img=$T/$name.img out
  if ! out=$("$MKIMAGE" -c "$RECIPE" -o "$img" "$@" 2>&1); then
    fail "boot $name: mkimage" "$(printf '%s' "$out" | tail -n 2)"; return
  fi
  if [ -n "${DAMAGE:-}" ] && ! $DAMAGE "$img"; then
    fail "boot $name: damaging the image" "$DAMAGE"; return
  fi
  for fw in $fws; do
    if out=$("$BOOT" --fw "$fw" --image "$img" --exit 33 --expect 'SELFTEST PASS' --timeout "${BOOT_TIMEOUT:-180}" 2>&1); then
      pass "boot $name under $fw: SELFTEST PASS"
    else
      fail "boot $name under $fw" "$(printf '%s' "$out" | tail -n 5 | tr '\n' ' ')"
    fi
  done
  rm -f "$img"
}

# A recipe key cannot be unset from the command line, so one-firmware
# images are made without the recipe.
one_fw() {
  local name=$1 fw=$2; shift 2
  local img=$T/$name.img out
  if ! out=$("$MKIMAGE" -o "$img" --kernel "$B/kernel/kernel.elf" --cmdline test "$@" 2>&1); then
    fail "boot $name: mkimage" "$(printf '%s' "$out" | tail -n 2)"; return
  fi
  if out=$("$BOOT" --fw "$fw" --image "$img" --exit 33 --expect 'SELFTEST PASS' --timeout "${BOOT_TIMEOUT:-180}" 2>&1); then
    pass "boot $name under $fw: SELFTEST PASS"
  else
    fail "boot $name under $fw" "$(printf '%s' "$out" | tail -n 5 | tr '\n' ' ')"
  fi
  rm -f "$img"
}

one_fw uefi-only uefi --efi "$B/uefi/BOOTX64.EFI"
one_fw bios-only bios --stage1 "$B/bios/stage1.bin" --stage2 "$B/bios/stage2.bin"
# Damage the loaders must survive: the primary GPT gone or pointing at
# nonsense (both firmwares use the backup), FAT #1 zeroed (stage2 reads FAT
# #2; edk2's FAT driver does not, so UEFI is not asked to).
zero_lba1() { dd if=/dev/zero of="$1" bs=512 seek=1 count=1 conv=notrunc status=none; }
garbage_entries() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
with open(sys.argv[1], "r+b") as f:
    f.seek(512); h = bytearray(f.read(92))
    struct.pack_into("<Q", h, 72, 1095216660482); struct.pack_into("<I", h, 16, 0)
    struct.pack_into("<I", h, 16, zlib.crc32(bytes(h)) & 0xffffffff)
    f.seek(512); f.write(h)
PY
}
zero_fat1() {
  local start=2048 res fs
  res=$(od -An -tu2 -j $((start * 512 + 14)) -N2 "$1" | tr -d ' ')
  fs=$(od -An -tu4 -j $((start * 512 + 36)) -N4 "$1" | tr -d ' ')
  dd if=/dev/zero of="$1" bs=512 seek=$((start + res)) count="$fs" conv=notrunc status=none
}
DAMAGE=zero_lba1 variant protective-lba1-zeroed "bios uefi" --mbr protective
DAMAGE=garbage_entries variant garbage-entries-lba "bios" 
DAMAGE=zero_fat1 variant fat1-zeroed "bios"
head -c 300000 /dev/urandom > "$T/initrd"
cp "$B/kernel/kernel.elf" "$T/second.elf"
variant with-modules "bios uefi" --module "$T/initrd=initrd" --module "$T/second.elf=second" --size 8M

if [ "${QUICK:-0}" != 1 ]; then
  variant active-ee "bios uefi" --active-ee
  variant esp-type-0c "bios uefi" --esp-mbr-type 0c
  variant mbr-only "uefi" --mbr mbr-only
  variant smallest-2M "bios uefi" --size 2M
fi
finish

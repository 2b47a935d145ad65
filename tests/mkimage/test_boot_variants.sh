#!/usr/bin/env bash
# Images in mkimage's less common layouts boot where they should (QEMU,
# TCG; SELFTEST PASS = exit status 33): one-firmware images, the
# --active-ee and --esp-mbr-type 0c hybrid variants, an MBR-only image
# under OVMF, and the smallest image (2 MiB, FAT12 ESP) under both.
# The default image, --mbr protective, mbr-only/FAT12/FAT16 under SeaBIOS
# are booted by tests/boot and tests/bios. QUICK=1: the one-firmware pair.
source "$(dirname "$0")/../lib.sh"

need() { [ -f "$1" ] || { echo "SKIP: $1 not built"; finish; }; }
need "$B/kernel/kernel.elf"; need "$B/uefi/BOOTX64.EFI"; need "$B/bios/stage1.bin"; need "$B/bios/stage2.bin"
[ -x "$MKIMAGE" ] || { fail "mkimage built" "$MKIMAGE missing"; finish; }
RECIPE=$TOP/images/disk.conf
BOOT=$TOP/tests/boot/qemu-boot.sh

# variant NAME FIRMWARES MKIMAGE-ARGS...: builds the image, boots it with each firmware.
variant() {
  local name=$1 fws=$2; shift 2
  local img=$T/$name.img out
  if ! out=$("$MKIMAGE" -c "$RECIPE" -o "$img" "$@" 2>&1); then
    fail "boot $name: mkimage" "$(printf '%s' "$out" | tail -n 2)"; return
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
if [ "${QUICK:-0}" != 1 ]; then
  variant active-ee "bios uefi" --active-ee
  variant esp-type-0c "bios uefi" --esp-mbr-type 0c
  variant mbr-only "uefi" --mbr mbr-only
  variant smallest-2M "bios uefi" --size 2M
fi
finish

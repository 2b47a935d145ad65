#!/usr/bin/env bash
# BOOTX64.EFI is a PE32+ x86-64 EFI application (what firmware will run),
# uefi/check-efi.sh (the build's own gate) refuses anything else, and the
# image carries exactly the binary that was built.
source "$(dirname "$0")/../lib.sh"
cd "$TOP"
EFI_BIN="$B/uefi/BOOTX64.EFI"
[ -f "$EFI_BIN" ] || { fail "uefi/pe" "$EFI_BIN is missing (make $EFI_BIN)"; finish; }
export MTOOLS_SKIP_CHECK=1
OBJDUMP=${OBJDUMP:-objdump}

hdr=$($OBJDUMP -p "$EFI_BIN" 2>&1)
expect_match "uefi/pe: objdump reads a pe-x86-64 image" "$hdr" 'file format pei?-x86-64'
expect_match "uefi/pe: PE32+ optional header (magic 020b)" "$hdr" '^Magic[[:space:]]+020b'
expect_match "uefi/pe: subsystem 0xa (EFI application)" "$hdr" '^Subsystem[[:space:]]+0000000a'
expect_match "uefi/pe: has a base relocation directory" "$hdr" 'Entry 5 [0-9a-f]+ 0*[1-9a-f][0-9a-f]* Base Relocation'
check "uefi/pe: file(1) agrees" bash -c "file -b '$EFI_BIN' | grep -q 'PE32+ executable (EFI application) x86-64'"
check "uefi/pe: check-efi.sh accepts the build" uefi/check-efi.sh "$EFI_BIN" "$B/uefi/BOOTX64.so"

# The gate must refuse what firmware would not run as intended.
objcopy --subsystem=11 "$EFI_BIN" "$T/driver.efi" 2>/dev/null
check_fails "uefi/pe: check-efi.sh refuses a boot-service driver (subsystem 11)" uefi/check-efi.sh "$T/driver.efi"
check_fails "uefi/pe: check-efi.sh refuses the ELF shared object" uefi/check-efi.sh "$B/uefi/BOOTX64.so"
head -c 4096 "$EFI_BIN" > "$T/cut.efi"
check_fails "uefi/pe: check-efi.sh refuses a truncated file" uefi/check-efi.sh "$T/cut.efi"

size=$(stat -c %s "$EFI_BIN")
echo "info: BOOTX64.EFI is $size bytes"
if [ -f "$IMG" ]; then
  off=$((2048 * 512))   # the ESP's first LBA in every image mkimage writes by default
  if mcopy -n -i "$IMG@@$off" ::/EFI/BOOT/BOOTX64.EFI "$T/esp.efi" 2>/dev/null; then
    check "uefi/pe: the image's /EFI/BOOT/BOOTX64.EFI is the built one" cmp "$T/esp.efi" "$EFI_BIN"
  else
    fail "uefi/pe: the image's /EFI/BOOT/BOOTX64.EFI is the built one" "not found on the ESP of $IMG"
  fi
fi
finish

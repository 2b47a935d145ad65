#!/usr/bin/env bash
# Images for 4Kn disks (mkimage --sector-size 4096) checked by independent
# tools: the GPT header at byte 4096, fsck.fat -n and mtools on the ESP
# (4096-byte FAT sectors), and --inspect on the image file. As root, on
# loop devices with 4096-byte logical sectors (losetup --sector-size 4096),
# as the kernel sees a 4Kn disk: sgdisk -v, sfdisk, the partitions (the
# kernel's or partx's), fsck.fat -n and mtools on the partition, --inspect
# on the device; and the classic mistake both ways (a 512-byte image on a
# 4Kn disk, a 4Kn image on a 512-byte disk) reported by --inspect.
# QUICK=1: only the 64M hybrid image.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/mkimage/inputs.sh"
export MTOOLS_SKIP_CHECK=1
[ -x "$MKIMAGE" ] || { fail "mkimage built" "missing $MKIMAGE"; finish; }
make_inputs || { fail "test inputs" "could not build them"; finish; }
head -c 70000 /dev/urandom > "$T/extra"

GUID_ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
MiB=1048576

# build IMG SIZE MODE [more]: a 4Kn image with both loaders and an extra file
build() {
  local img=$1 size=$2 mode=$3; shift 3
  "$MKIMAGE" -o "$img" --sector-size 4096 --size "$size" --mbr "$mode" "${INPUTS[@]}" --efi32 "$EFI32" \
    --file "$T/extra=/data/A long name.bin" --cmdline test "$@"
}

# readback TAG AT: mtools (AT = image@@offset or a partition) lists and reads
# every file back byte for byte
readback() {
  local tag=$1 at=$2 bad=0 f
  for f in "/EFI/BOOT/BOOTX64.EFI:$EFI" "/EFI/BOOT/BOOTIA32.EFI:$EFI32" "/boot/kernel.elf:$KERNEL" \
           "/data/A long name.bin:$T/extra"; do
    rm -f "$T/got"
    mcopy -n -i "$at" "::${f%%:*}" "$T/got" 2>/dev/null && cmp -s "$T/got" "${f#*:}" || { bad=$((bad + 1)); echo "    differs: ${f%%:*}"; }
  done
  expect_eq "$tag: mtools reads every file back byte for byte" "$bad" 0
}

# ---- the image files ----------------------------------------------------------
cases="2M:hybrid 64M:hybrid 600M:protective 64M:mbr-only"
[ "${QUICK:-0}" = 1 ] && cases="64M:hybrid"
for c in $cases; do
  size=${c%%:*} mode=${c#*:} tag="4Kn $c" img=$T/k4-$size-$mode.img
  out=$(build "$img" "$size" "$mode" 2>&1) || { fail "$tag: mkimage builds the image" "$out"; continue; }
  pass "$tag: mkimage builds the image"
  if [ "$mode" = mbr-only ]; then
    expect_eq "$tag: no GPT at byte 4096" "$(head -c 4104 "$img" | tail -c 8 | tr -d '\0')" ""
  else
    expect_eq "$tag: GPT header at byte 4096 (LBA 1)" "$(head -c 4104 "$img" | tail -c 8)" "EFI PART"
  fi
  expect_eq "$tag: FAT with 4096-byte sectors at 1 MiB" "$(od -An -tu2 -j $((MiB + 11)) -N2 "$img" | tr -d ' ')" 4096
  # the ESP's extent in 4096-byte LBAs, from the GPT (else the MBR entry), extracted for fsck.fat
  read -r start count < <(python3 - "$img" <<'PY'
import struct, sys, uuid
f = open(sys.argv[1], "rb"); m = f.read(512); f.seek(4096); h = f.read(92)
if h[:8] == b"EFI PART":
    lba, n, size = struct.unpack_from("<QII", h, 72)
    f.seek(lba * 4096); ents = f.read(n * size)
    esp = uuid.UUID("C12A7328-F81F-11D2-BA4B-00A0C93EC93B").bytes_le
    for i in range(n):
        e = ents[i * size:(i + 1) * size]
        if e[:16] == esp:
            first, last = struct.unpack_from("<QQ", e, 32); print(first, last - first + 1); break
else:
    for i in range(4):
        if m[446 + 16 * i + 4] in (0xEF, 0x0C):
            print(*struct.unpack_from("<II", m, 446 + 16 * i + 8)); break
PY
)
  expect_eq "$tag: the ESP starts at LBA 256 (1 MiB in 4 KiB sectors)" "${start:-none}" 256
  python3 "$TOP/tests/image/helpers.py" extract "$img" $((start * 4096)) $((count * 4096)) "$T/esp.img"
  out=$(fsck.fat -n -v "$T/esp.img" 2>&1); rc=$?
  expect_match "$tag: fsck.fat -n on the ESP is clean" "$out rc=$rc" "files.*clusters.*rc=0$"
  expect_match "$tag: fsck.fat sees 4096-byte logical sectors" "$out" "4096 bytes per logical sector"
  rm -f "$T/esp.img"
  readback "$tag" "$img@@$MiB"
  out=$("$MKIMAGE" --inspect "$img" 2>&1); rc=$?
  expect_match "$tag: --inspect passes" "$out rc=$rc" "inspect: ok rc=0"
  want="its GPT header is at byte 4096"
  [ "$mode" = mbr-only ] && want="no GPT; its MBR's FAT partition has 4096-byte sectors"
  expect_match "$tag: --inspect finds 4096-byte sectors ($want)" "$out" "sector size 4096 bytes \\($want\\)"
  expect_eq "$tag: --inspect: every path ok" "$(printf '%s\n' "$out" | grep ' boot: ' | tr '\n' ' ')" \
    "BIOS boot: ok UEFI boot: ok UEFI (32-bit) boot: ok "
  [ "$size:$mode" = 64M:hybrid ] && cp --sparse=always "$img" "$T/good4k.img"
  [ "$size:$mode" = 64M:mbr-only ] && cp --sparse=always "$img" "$T/mbronly4k.img"
  rm -f "$img"
done
[ -f "$T/good4k.img" ] || { fail "4Kn: a 64M image to go on"; finish; }

# --inspect on a damaged 4Kn image names the problem in 4096-byte LBAs.
cp --sparse=always "$T/good4k.img" "$T/bad.img"
printf 'x' | dd of="$T/bad.img" bs=1 seek=$((4096 + 60)) conv=notrunc status=none   # disk GUID: header CRC fails
out=$("$MKIMAGE" --inspect "$T/bad.img" 2>&1)
expect_match "4Kn: --inspect, primary header broken: stage2 uses the backup at the last 4096-byte LBA" "$out" \
  "stage2 finds it at LBA 256 .* through the backup GPT"
expect_match "4Kn: --inspect, primary header broken: backup GPT found at LBA 16383" "$out" "^GPT backup \\(LBA 16383\\)"

# ---- loop devices with 4096-byte sectors (root) --------------------------------
if [ "$(id -u)" -ne 0 ] || ! command -v losetup >/dev/null; then
  echo "note: the 4Kn loop-device checks need root and losetup; skipped here"; finish
fi
truncate -s 1M "$T/probe.img"
if ! probe=$(losetup -f --show --sector-size 4096 "$T/probe.img" 2>"$T/probe.err"); then
  echo "note: losetup cannot attach a 4Kn loop device here ($(cat "$T/probe.err")); skipped"; finish
fi
losetup -d "$probe"
LOOPS=()
cleanup() { local l; for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
# newloop VAR FILE [losetup options] (not through $(...): the clean-up list is this shell's)
newloop() {
  local var=$1 f=$2 l; shift 2
  l=$(losetup -f --show -P "$@" "$f") || return 1
  LOOPS+=("$l")
  printf -v "$var" '%s' "$l"
}
# partitions_up LOOP N: partition node N, from the kernel's scan or partx's
partitions_up() {
  local i
  for i in $(seq 20); do [ -b "$1p$2" ] && return 0; [ "$i" = 5 ] && partx -a "$1" 2>/dev/null; sleep 0.1; done
  return 1
}

newloop L "$T/good4k.img" --sector-size 4096 || { fail "4Kn loop device"; finish; }
expect_eq "4Kn loop: the kernel sees 4096-byte logical sectors" "$(blockdev --getss "$L")" 4096
expect_match "4Kn loop: sgdisk -v finds no problems" "$(sgdisk -v "$L" 2>&1)" "No problems found"
out=$(sfdisk -d "$L" 2>&1)
expect_match "4Kn loop: sfdisk reads a GPT of 4096-byte sectors" "$out" "^sector-size: 4096"
expect_match "4Kn loop: sfdisk: the ESP from LBA 256" "$out" "start= +256, size= +[0-9]+, type=$GUID_ESP"
expect_match "4Kn loop: sfdisk: the BIOS boot partition from LBA 6" "$out" "p1 : start= +6, size= +250,"
if partitions_up "$L" 2; then
  check "4Kn loop: fsck.fat -n on the ESP partition is clean" fsck.fat -n "${L}p2"
  readback "4Kn loop partition" "${L}p2"
else
  fail "4Kn loop: partition nodes" "neither the kernel nor partx made ${L}p2"
fi
out=$("$MKIMAGE" --inspect "$L" 2>&1); rc=$?
expect_match "4Kn loop: --inspect on the device passes" "$out rc=$rc" "inspect: ok rc=0"
expect_match "4Kn loop: --inspect: the device's sectors and the image's agree" "$out" \
  "sector size 4096 bytes \\(its GPT header is at byte 4096\\); the device's logical sectors: 4096 bytes"
losetup -d "$L"

if [ -f "$T/mbronly4k.img" ]; then
  newloop L "$T/mbronly4k.img" --sector-size 4096
  out=$(sfdisk -d "$L" 2>&1)
  expect_match "4Kn mbr-only loop: sfdisk reads the MBR entry in 4096-byte LBAs" "$out" "start= +256, size= +[0-9]+, type=ef, bootable"
  if partitions_up "$L" 1; then
    check "4Kn mbr-only loop: fsck.fat -n on the partition is clean" fsck.fat -n "${L}p1"
  else
    fail "4Kn mbr-only loop: partition nodes" "no ${L}p1"
  fi
  expect_match "4Kn mbr-only loop: --inspect passes" "$("$MKIMAGE" --inspect "$L" 2>&1) rc=$?" "inspect: ok rc=0"
  losetup -d "$L"
fi

# The classic mistake, both ways: the report says what is wrong and both
# firmware paths are broken.
"$MKIMAGE" -o "$T/d512.img" "${INPUTS[@]}" --cmdline test 2>/dev/null
newloop L "$T/d512.img" --sector-size 4096
out=$("$MKIMAGE" --inspect "$L" 2>&1); rc=$?
expect_match "512-byte image on a 4Kn disk: --inspect fails" "rc=$rc" "rc=1"
expect_match "512-byte image on a 4Kn disk: named as such" "$out" \
  "PROBLEM \\(BIOS\\+UEFI\\): the device has 4096-byte logical sectors but the image on it was made for 512-byte sectors.*--sector-size 4096"
expect_match "512-byte image on a 4Kn disk: the UEFI path is broken" "$out" "^UEFI boot: BROKEN: the device has 4096-byte"
expect_match "512-byte image on a 4Kn disk: sgdisk does not find our GPT either" "$(sgdisk -v "$L" 2>&1)" \
  "Found invalid GPT"
losetup -d "$L"
newloop L "$T/good4k.img"
out=$("$MKIMAGE" --inspect "$L" 2>&1); rc=$?
expect_match "4Kn image on a 512-byte disk: named as such" "$out rc=$rc" \
  "the device has 512-byte logical sectors but the image on it was made for 4096-byte sectors"
losetup -d "$L"
finish

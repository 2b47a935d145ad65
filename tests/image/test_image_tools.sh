#!/usr/bin/env bash
# mkimage's output checked by independent tools, for image sizes 2M, 8M,
# 64M, 600M and 3T (sparse) in both --mbr hybrid and --mbr protective:
# sgdisk -v, sfdisk -d (GPT and the MBR beneath it), fsck.fat -n on the
# ESP, mtools reading back every file byte-for-byte (long names and an
# extra file in a subdirectory included), parted print without warnings;
# same inputs give the same bytes, another --seed other GUIDs; the 3T
# image stays under 2 MiB on disk; mkimage --inspect passes on good images
# and names the problem on damaged ones.
# QUICK=1: only 64M hybrid (and the --inspect damage cases).
. "$(dirname "$0")/../lib.sh"
helper() { python3 "$TOP/tests/image/helpers.py" "$@"; }
export MTOOLS_SKIP_CHECK=1
[ -x "$MKIMAGE" ] || { fail "mkimage built" "missing $MKIMAGE (make build/mkimage/mkimage)"; finish; }

GUID_BIOS=21686148-6449-6E6F-744E-656564454649
GUID_ESP=C12A7328-F81F-11D2-BA4B-00A0C93EC93B

# ---- inputs ---------------------------------------------------------------
IN=$T/in
mkdir -p "$IN"
if [ -f "$B/kernel/kernel.elf" ]; then
  KERNEL=$B/kernel/kernel.elf
else
  KERNEL=$IN/k.elf
  printf 'void _start(void) { for (;;) __asm__ volatile("hlt"); }\n' > "$IN/k.c"
  gcc -nostdlib -static -fno-pic -no-pie -mcmodel=kernel -Wl,-Ttext=0xffffffff80000000 -o "$KERNEL" "$IN/k.c" ||
    { fail "test kernel compiled"; finish; }
fi
if [ -f "$B/uefi/BOOTX64.EFI" ]; then EFI=$B/uefi/BOOTX64.EFI; else EFI=$IN/fake.efi; helper fakepe "$EFI"; fi
# A fake stage1: 440 bytes, jmp short + nop, the "HYS1" record at 424.
python3 - "$IN/stage1.bin" "$IN/stage2.bin" <<'EOF'
import struct, sys
s1 = bytearray(440); s1[0:3] = b"\xeb\x5a\x90"; s1[0x5a] = 0xf4
s1[424:428] = b"HYS1"
open(sys.argv[1], "wb").write(s1)
body = bytes((i * 7) & 0xff for i in range(3000))
s2 = b"\xeb\x16" + b"\x90" * 6 + b"HYSTAGE2" + struct.pack("<II", 24 + len(body), 0) + body
open(sys.argv[2], "wb").write(s2)
EOF
STAGE1=$IN/stage1.bin STAGE2=$IN/stage2.bin
head -c 3000 /dev/urandom > "$IN/extra1"
printf 'a small text file\n' > "$IN/extra2"
head -c 70000 /dev/urandom > "$IN/extra3"
# DEST on the ESP -> source file; /boot/boot.cfg is checked separately.
declare -A FILES=(
  ["/EFI/BOOT/BOOTX64.EFI"]=$EFI
  ["/boot/kernel.elf"]=$KERNEL
  ["/extra/Some Long Directory Name/A file with a long name.txt"]=$IN/extra1
  ["/extra/README.TXT"]=$IN/extra2
  ["/data/deep/er/mixedCase Name.bin"]=$IN/extra3
)
FILE_ARGS=()
for d in "${!FILES[@]}"; do
  case "$d" in /EFI/*|/boot/*) ;; *) FILE_ARGS+=(--file "${FILES[$d]}=$d") ;; esac
done

# build IMG SIZE MODE [more mkimage args]
build() {
  local img=$1 size=$2 mode=$3; shift 3
  "$MKIMAGE" -o "$img" --size "$size" --mbr "$mode" --kernel "$KERNEL" --efi "$EFI" \
    --stage1 "$STAGE1" --stage2 "$STAGE2" --cmdline "test console=ttyS0" "${FILE_ARGS[@]}" "$@"
}

# ESP start and size in sectors, from sfdisk's view of the GPT.
esp_of() { sfdisk -d "$1" 2>/dev/null | awk -v t="$GUID_ESP" '$0 ~ t { gsub(",", ""); print $4, $6; exit }'; }

check_image() {
  local img=$1 size=$2 mode=$3 tag="$2 $3"
  local out

  out=$(sgdisk -v "$img" 2>&1)
  expect_match "$tag: sgdisk -v finds no problems" "$out" "No problems found"

  # sfdisk: the GPT holds the BIOS boot partition below 2048 and the ESP at 2048.
  out=$(sfdisk -d "$img" 2>&1)
  expect_match "$tag: sfdisk sees a GPT" "$out" "^label: gpt"
  expect_match "$tag: sfdisk lists the BIOS boot partition (start 34 or 40)" "$out" \
    "start= +(34|40), size= +[0-9]+, type=$GUID_BIOS"
  expect_match "$tag: sfdisk lists the ESP at 2048" "$out" "start= +2048, size= +[0-9]+, type=$GUID_ESP"
  local n
  n=$(printf '%s\n' "$out" | grep -c "^${img}[0-9]* :")
  expect_eq "$tag: exactly two GPT partitions" "$n" 2

  # The MBR under it: hybrid = 0xEE from LBA 1 + active 0xEF at 2048; protective = 0xEE alone.
  out=$(sfdisk -d --label-nested dos "$img" 2>&1)
  if [ "$mode" = hybrid ]; then
    expect_match "$tag: MBR 0xEE entry from LBA 1" "$out" "start= +1, size= +[0-9]+, type=ee$"
    expect_match "$tag: MBR 0xEF entry at 2048, active" "$out" "start= +2048, size= +[0-9]+, type=ef, bootable"
  else
    expect_match "$tag: MBR 0xEE entry from LBA 1" "$out" "start= +1, size= +[0-9]+, type=ee$"
    n=$(printf '%s\n' "$out" | grep -c "^${img}[0-9]* :")
    expect_eq "$tag: protective MBR has one entry" "$n" 1
  fi

  # fsck.fat on the ESP, extracted sparsely (only data extents are copied).
  local start count
  read -r start count < <(esp_of "$img")
  if [ -z "$start" ]; then
    fail "$tag: ESP found by sfdisk"
    return
  fi
  helper extract "$img" $((start * 512)) $((count * 512)) "$T/esp.img"
  check "$tag: fsck.fat -n on the ESP is clean" fsck.fat -n "$T/esp.img"
  rm -f "$T/esp.img"

  # mtools: every file listed and read back byte-for-byte.
  local at="$img@@$((start * 512))" want got
  got=$(mdir -/ -b -i "$at" ::/ 2>&1 | grep -v '/$' | sed 's|^::||' | LC_ALL=C sort)
  want=$( (printf '%s\n' "${!FILES[@]}"; echo /boot/boot.cfg) | LC_ALL=C sort)
  expect_eq "$tag: mdir lists every file (long names included)" "$got" "$want"
  local bad=0 d
  for d in "${!FILES[@]}"; do
    rm -f "$T/out"
    if ! mcopy -n -i "$at" "::$d" "$T/out" 2>/dev/null || ! cmp -s "$T/out" "${FILES[$d]}"; then
      bad=$((bad + 1)); echo "    differs: $d"
    fi
  done
  expect_eq "$tag: mcopy reads back every file byte-for-byte" "$bad" 0
  # Our own reader (common/fat.c, as the loaders use it) sees the same files.
  if [ -x "$B/tests/fatcat" ]; then
    got=$("$B/tests/fatcat" -o $((start * 512)) "$img" find 2>&1 | sed 's/^[0-9]* //' | LC_ALL=C sort)
    expect_eq "$tag: common/fat.c lists the same files" "$got" "$want"
    bad=0
    for d in "${!FILES[@]}"; do
      "$B/tests/fatcat" -o $((start * 512)) "$img" cat "$d" 2>/dev/null | cmp -s - "${FILES[$d]}" || bad=$((bad + 1))
    done
    expect_eq "$tag: common/fat.c reads back every file" "$bad" 0
  fi
  out=$(mtype -i "$at" ::/boot/boot.cfg 2>&1)
  expect_match "$tag: boot.cfg has the kernel's SHA-256" "$out" "kernel_sha256 *= *$(sha256sum "$KERNEL" | cut -c1-64)"

  # parted: both partitions, no warnings.
  out=$(parted -s "$img" print 2>&1)
  if printf '%s\n' "$out" | grep -qiE 'warning|error|fix'; then
    fail "$tag: parted print without warnings" "$(printf '%s' "$out" | head -5)"
  else
    pass "$tag: parted print without warnings"
  fi
  expect_match "$tag: parted shows the BIOS boot partition" "$out" "BIOS boot +bios_grub"
  # parted does not name FAT12 at all (same with a mkfs.fat -F 12 volume):
  # on the 2M image, whose ESP is FAT12, the file system column stays empty.
  local fs="fat(12|16|32) +"
  [ "$size" = 2M ] && fs="(fat(12|16|32) +)?"
  expect_match "$tag: parted shows the ESP" "$out" "${fs}EFI system +boot, esp"

  out=$("$MKIMAGE" --inspect "$img" 2>&1)
  expect_match "$tag: mkimage --inspect passes" "$out rc=$?" "inspect: ok rc=0"
  if printf '%s\n' "$out" | grep -q "CHS fields do not match"; then
    fail "$tag: MBR CHS fields match the LBAs" "$(printf '%s\n' "$out" | grep CHS)"
  else
    pass "$tag: MBR CHS fields match the LBAs"
  fi
}

disk_guid() { sgdisk -p "$1" 2>/dev/null | sed -n 's/^Disk identifier (GUID): //p'; }
part_guid() { sgdisk -i "$2" "$1" 2>/dev/null | sed -n 's/^Partition unique GUID: //p'; }

sizes="2M 8M 64M 600M 3T"
modes="hybrid protective"
if [ "${QUICK:-0}" = 1 ]; then sizes=64M; modes=hybrid; fi
for size in $sizes; do
  for mode in $modes; do
    img=$T/disk-$size-$mode.img
    if ! out=$(build "$img" "$size" "$mode" --seed test-seed 2>&1); then
      fail "$size $mode: mkimage builds the image" "$out"
      continue
    fi
    pass "$size $mode: mkimage builds the image"
    check_image "$img" "$size" "$mode"

    # Same inputs, same bytes (cmp over data extents: fast on 3T).
    build "$T/again.img" "$size" "$mode" --seed test-seed >/dev/null 2>&1
    check "$size $mode: a second run gives identical bytes" helper cmp "$img" "$T/again.img"
    # Another seed, other GUIDs.
    build "$T/again.img" "$size" "$mode" --seed other-seed >/dev/null 2>&1
    a=$(disk_guid "$img") b=$(disk_guid "$T/again.img")
    if [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] &&
       [ "$(part_guid "$img" 2)" != "$(part_guid "$T/again.img" 2)" ]; then
      pass "$size $mode: --seed changes the disk and partition GUIDs"
    else
      fail "$size $mode: --seed changes the disk and partition GUIDs" "'$a' vs '$b'"
    fi
    rm -f "$T/again.img"

    if [ "$size" = 3T ]; then
      kib=$(du -k "$img" | cut -f1)
      check "3T $mode: occupies under 2 MiB on disk ($kib KiB)" test "$kib" -lt 2048
    fi
    [ "$size" = 64M ] && [ "$mode" = hybrid ] && cp --sparse=always "$img" "$T/good.img"
    rm -f "$img"
  done
done

# ---- the real product: images/disk.img (real stage1, stage2, loader) --------
if [ -f "$IMG" ]; then
  out=$("$MKIMAGE" --inspect "$IMG" 2>&1); rc=$?
  expect_match "disk.img: mkimage --inspect passes" "$out rc=$rc" "^inspect: ok rc=0"
  expect_match "disk.img: both firmware paths installed and ok" "$(printf '%s\n' "$out" | grep ' boot: ' | tr '\n' ' ')" \
    "^BIOS boot: ok UEFI boot: ok $"
  expect_match "disk.img: sgdisk -v finds no problems" "$(sgdisk -v "$IMG" 2>&1)" "No problems found"
fi

# ---- --inspect on damaged images (from the 64M hybrid one) -----------------
GOOD=$T/good.img
if [ ! -f "$GOOD" ]; then
  fail "inspect damage cases" "no 64M hybrid image to start from"
  finish
fi
read -r ESP_START _ < <(esp_of "$GOOD")
AT="@@$((ESP_START * 512))"

# inspect_fails NAME IMG REGEX: non-zero exit and the problem named.
inspect_fails() {
  local out rc
  out=$("$MKIMAGE" --inspect "$2" 2>&1); rc=$?
  if [ "$rc" -ne 0 ] && printf '%s\n' "$out" | grep -Eq -- "$3"; then
    pass "$1"
  else
    fail "$1" "rc=$rc, no /$3/ in: $(printf '%s\n' "$out" | grep -E 'PROBLEM|boot:' | head -5)"
  fi
}

cp "$GOOD" "$T/bad.img"
helper flip "$T/bad.img" $((512 + 56))     # a byte of the disk GUID: header CRC no longer matches
inspect_fails "inspect: corrupted primary GPT header fails and is named" "$T/bad.img" \
  "PROBLEM.*primary GPT: .*CRC"
inspect_fails "inspect: corrupted primary GPT header names the UEFI path" "$T/bad.img" "^UEFI boot: BROKEN"

cp "$GOOD" "$T/bad.img"
mcopy -n -i "$T/bad.img$AT" ::/boot/kernel.elf "$T/k" && helper flip "$T/k" 4096 &&
  mcopy -o -i "$T/bad.img$AT" "$T/k" ::/boot/kernel.elf
inspect_fails "inspect: corrupted kernel fails on the hash" "$T/bad.img" "PROBLEM.*kernel_sha256"
inspect_fails "inspect: corrupted kernel breaks both paths" "$T/bad.img" "^BIOS boot: BROKEN"

cp "$GOOD" "$T/bad.img"
mdel -i "$T/bad.img$AT" ::/EFI/BOOT/BOOTX64.EFI
inspect_fails "inspect: missing BOOTX64.EFI fails and is named" "$T/bad.img" "PROBLEM \(UEFI\).*BOOTX64.EFI is missing"
out=$("$MKIMAGE" --inspect "$T/bad.img" 2>&1)
expect_match "inspect: missing BOOTX64.EFI leaves the BIOS path ok" "$out" "^BIOS boot: ok"

cp "$GOOD" "$T/bad.img"
printf '\x00\x00' | dd of="$T/bad.img" bs=1 seek=510 conv=notrunc status=none
inspect_fails "inspect: missing 55AA fails" "$T/bad.img" "PROBLEM.*55AA"

cp "$GOOD" "$T/bad.img"
S2=$(sfdisk -d "$GOOD" 2>/dev/null | awk -v t="$GUID_BIOS" '$0 ~ t { gsub(",", ""); print $4; exit }')
printf 'XXXXXXXX' | dd of="$T/bad.img" bs=1 seek=$((S2 * 512 + 8)) conv=notrunc status=none
inspect_fails "inspect: damaged stage2 breaks the BIOS path" "$T/bad.img" "^BIOS boot: BROKEN: no stage2"

# dd'd onto a larger disk: the backup is not at the end. A note, not an error.
cp --sparse=always "$GOOD" "$T/big.img"
truncate -s 100M "$T/big.img"
out=$("$MKIMAGE" --inspect "$T/big.img" 2>&1); rc=$?
expect_match "inspect: image on a larger disk passes" "$out rc=$rc" "^inspect: ok rc=0"
expect_match "inspect: image on a larger disk notes where the backup GPT is" "$out" \
  "note: the backup GPT is at LBA 131071, not at the last LBA 204799"

# A truncated image: the backup GPT and the end of the ESP are gone.
head -c 32M "$GOOD" > "$T/bad.img"
inspect_fails "inspect: truncated image fails" "$T/bad.img" "PROBLEM.*(beyond the end|truncated)"

finish

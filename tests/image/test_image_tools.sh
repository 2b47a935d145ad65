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
  expect_match "disk.img: every firmware path installed and ok (BOOTIA32.EFI too)" \
    "$(printf '%s\n' "$out" | grep ' boot: ' | tr '\n' ' ')" "^BIOS boot: ok UEFI boot: ok UEFI \(32-bit\) boot: ok $"
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
  "PROBLEM.*primary GPT: .*CRC.*use the backup"
# Firmware and stage2 both boot from the backup: damage, but not a broken path.
out=$("$MKIMAGE" --inspect "$T/bad.img" 2>&1)
expect_match "inspect: corrupted primary GPT: both paths still boot (from the backup)" \
  "$(printf '%s\n' "$out" | grep ' boot: ' | tr '\n' ' ')" "^BIOS boot: ok UEFI boot: ok UEFI \(32-bit\) boot: not installed $"
expect_match "inspect: corrupted primary GPT: stage2 goes to the backup" "$out" "stage2 finds it at LBA 2048 .* through the backup GPT"

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

# BOOTIA32.EFI (32-bit UEFI) is checked like BOOTX64.EFI, with its own summary line
if [ -f "$IMG" ] && [ -f "$B/uefi32/BOOTIA32.EFI" ]; then
  paths() { "$MKIMAGE" --inspect "$1" 2>&1 | grep ' boot: ' | tr '\n' ' '; }
  cp --sparse=always "$IMG" "$T/bad32.img"
  mcopy -o -i "$T/bad32.img@@1048576" "$B/uefi/BOOTX64.EFI" ::/EFI/BOOT/BOOTIA32.EFI
  inspect_fails "inspect: an x86-64 loader as BOOTIA32.EFI fails and is named" "$T/bad32.img" \
    "PROBLEM \(UEFI 32-bit\): /EFI/BOOT/BOOTIA32.EFI: not an i386 EFI executable"
  expect_match "inspect: a bad BOOTIA32.EFI breaks only the 32-bit UEFI path" "$(paths "$T/bad32.img")" \
    "^BIOS boot: ok UEFI boot: ok UEFI \(32-bit\) boot: BROKEN: /EFI/BOOT/BOOTIA32.EFI: not an i386"
  cp --sparse=always "$IMG" "$T/bad32.img"
  mdel -i "$T/bad32.img@@1048576" ::/EFI/BOOT/BOOTIA32.EFI
  expect_eq "inspect: without BOOTIA32.EFI the 32-bit path is not installed (no problem)" \
    "$(paths "$T/bad32.img")$("$MKIMAGE" --inspect "$T/bad32.img" | tail -n 1)" \
    "BIOS boot: ok UEFI boot: ok UEFI (32-bit) boot: not installed inspect: ok"
  cp --sparse=always "$IMG" "$T/bad32.img"
  mdel -i "$T/bad32.img@@1048576" ::/EFI/BOOT/BOOTX64.EFI
  expect_eq "inspect: BOOTIA32.EFI alone: a 32-bit-only UEFI image, not damage" \
    "$(paths "$T/bad32.img")$("$MKIMAGE" --inspect "$T/bad32.img" | tail -n 1)" \
    "BIOS boot: ok UEFI boot: not installed UEFI (32-bit) boot: ok inspect: ok"
  rm -f "$T/bad32.img"
fi

cp "$GOOD" "$T/bad.img"
printf '\x00\x00' | dd of="$T/bad.img" bs=1 seek=510 conv=notrunc status=none
inspect_fails "inspect: missing 55AA fails" "$T/bad.img" "PROBLEM.*55AA"

cp "$GOOD" "$T/bad.img"
S2=$(sfdisk -d "$GOOD" 2>/dev/null | awk -v t="$GUID_BIOS" '$0 ~ t { gsub(",", ""); print $4; exit }')
printf 'XXXXXXXX' | dd of="$T/bad.img" bs=1 seek=$((S2 * 512 + 8)) conv=notrunc status=none
inspect_fails "inspect: damaged stage2 breaks the BIOS path" "$T/bad.img" "^BIOS boot: BROKEN: no usable stage2"

# dd'd onto a larger disk: the backup is not at the end. A note, not an error.
cp --sparse=always "$GOOD" "$T/big.img"
truncate -s 100M "$T/big.img"
out=$("$MKIMAGE" --inspect "$T/big.img" 2>&1); rc=$?
expect_match "inspect: image on a larger disk passes" "$out rc=$rc" "^inspect: ok rc=0"
expect_match "inspect: image on a larger disk notes where the backup GPT is" "$out" \
  "note: the backup GPT is at LBA 131071, not at the last LBA 204799.*find it through the primary"

# A truncated image: the backup GPT and the end of the ESP are gone.
head -c 32M "$GOOD" > "$T/bad.img"
inspect_fails "inspect: truncated image fails" "$T/bad.img" "PROBLEM.*(beyond the end|truncated)"

# ---- the loaders' rules, as --inspect reports them ---------------------------
# inspect_says NAME IMG REGEX...: every regex matches the report (any exit status).
inspect_says() {
  local name=$1 img=$2 out re; shift 2
  out=$(timeout 30 "$MKIMAGE" --inspect "$img" 2>&1)
  for re in "$@"; do
    if ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
      fail "$name" "no /$re/ in: $(printf '%s\n' "$out" | grep -E 'PROBLEM|boot:|finds' | head -8)"; return
    fi
  done
  pass "$name"
}
zero_sector() { dd if=/dev/zero of="$1" bs=512 seek="$2" count=1 conv=notrunc status=none; }
# set_gpt_field IMG LBA OFFSET VALUE: a 64-bit header field, CRC fixed up (a buggy tool, not damage).
set_gpt_field() {
  python3 - "$@" <<'PY'
import struct, sys, zlib
img, lba, off, val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(img, "r+b") as f:
    f.seek(lba * 512); h = bytearray(f.read(92))
    struct.pack_into("<Q", h, off, val); struct.pack_into("<I", h, 16, 0)
    struct.pack_into("<I", h, 16, zlib.crc32(bytes(h)) & 0xffffffff)
    f.seek(lba * 512); f.write(h)
PY
}

# LBA 1 zeroed: UEFI firmware and stage2 both use the backup GPT.
cp --sparse=always "$GOOD" "$T/bad.img"; zero_sector "$T/bad.img" 1
inspect_says "inspect: zeroed LBA 1 (hybrid): both paths boot from the backup GPT" "$T/bad.img" \
  "PROBLEM: primary GPT: bad GPT signature; firmware and stage2 use the backup" \
  "stage2 finds it at LBA 2048 .* through the backup GPT" "^BIOS boot: ok" "^UEFI boot: ok"
build "$T/prot.img" 64M protective --seed test-seed >/dev/null 2>&1; zero_sector "$T/prot.img" 1
inspect_says "inspect: zeroed LBA 1 (protective): stage2 uses the backup GPT" "$T/prot.img" \
  "stage2 finds it at LBA 2048 .* through the backup GPT" "^BIOS boot: ok" "^UEFI boot: ok"
# A garbage entries LBA (header CRC valid): refused by range before any read.
cp --sparse=always "$GOOD" "$T/bad.img"; set_gpt_field "$T/bad.img" 1 72 1095216660482
inspect_says "inspect: garbage primary entries LBA: the backup, no read past the end" "$T/bad.img" \
  "primary GPT: GPT entries beyond the end of the disk" "through the backup GPT" "^BIOS boot: ok" "^UEFI boot: ok"
# Both GPTs gone: stage2 falls back to the hybrid MBR's 0xEF entry, UEFI firmware has nothing.
zero_sector "$T/bad.img" 131071
inspect_says "inspect: both GPTs bad: stage2 takes the MBR entry, UEFI is broken" "$T/bad.img" \
  "stage2 finds it at LBA 2048 .* through the MBR entry type 0xEF" "^BIOS boot: ok" "^UEFI boot: BROKEN"
zero_sector "$T/prot.img" 131071
inspect_says "inspect: protective MBR, both GPTs bad: no ESP for either path" "$T/prot.img" \
  "PROBLEM \(BIOS\): stage2 finds no ESP" "^BIOS boot: BROKEN" "^UEFI boot: BROKEN"

# FAT #1 zeroed: stage2 reads FAT #2, edk2's driver (UEFI) does not.
read -r FATLBA FATSEC < <("$B/tests/fatcat" -o $((ESP_START * 512)) "$GOOD" info |
  sed -n 's/.*fat_sectors=\([0-9]*\).*data_lba=\([0-9]*\).*/\2 \1/p' | awk '{ print $1 - 2 * $2, $2 }')
cp --sparse=always "$GOOD" "$T/bad.img"
dd if=/dev/zero of="$T/bad.img" bs=512 seek=$((ESP_START + FATLBA)) count="$FATSEC" conv=notrunc status=none
inspect_says "inspect: FAT #1 zeroed: copies compared, BIOS ok, UEFI broken" "$T/bad.img" \
  "PROBLEM: FAT #1 and FAT #2 differ" "stage2 reads [0-9]+ FAT entries of it from FAT #2" \
  "^BIOS boot: ok" "^UEFI boot: BROKEN: .*damaged in FAT #1"
got=$("$B/tests/fatcat" -o $((ESP_START * 512)) "$T/bad.img" cat /boot/kernel.elf 2>/dev/null | sha256sum | cut -c1-64)
expect_eq "FAT #1 zeroed: common/fat.c still reads the kernel (from FAT #2)" "$got" "$(sha256sum < "$KERNEL" | cut -c1-64)"

# A directory cycle: /EFI and /boot pointing at the root (issue 15 §3.1).
cp --sparse=always "$GOOD" "$T/bad.img"
python3 - "$T/bad.img" $((ESP_START * 512)) <<'PY'
import struct, sys
img, base = sys.argv[1], int(sys.argv[2])
with open(img, "r+b") as f:
    f.seek(base); b = f.read(512)
    bps, spc, res = struct.unpack_from("<HBH", b, 11); nf = b[16]; fsz, root = struct.unpack_from("<I", b, 36)[0], struct.unpack_from("<I", b, 44)[0]
    data = base + (res + nf * fsz) * bps
    f.seek(data + (root - 2) * spc * bps); d = bytearray(f.read(spc * bps))
    for i in range(0, len(d), 32):
        if d[i + 11] & 0x10 and d[i] not in (0, 0xe5):
            struct.pack_into("<HH", d, i + 20, 0, 0); struct.pack_into("<H", d, i + 26, root)
    f.seek(data + (root - 2) * spc * bps); f.write(d)
PY
t0=$(date +%s)
inspect_says "inspect: a directory cycle ends (bounded walk) and is named" "$T/bad.img" \
  "PROBLEM: /EFI: directory cycle" "PROBLEM: /boot: directory cycle"
expect_match "inspect: the cycle costs no time ($(( $(date +%s) - t0 )) s)" "$(( $(date +%s) - t0 ))" "^[0-5]$"
out=$(timeout 20 "$B/tests/fatcat" -o $((ESP_START * 512)) "$T/bad.img" find 2>&1); rc=$?
expect_match "fatcat find: the cycle is an error, not a hang (rc=$rc)" "$out rc=$rc" "directory cycle.*rc=1$"

# kernel_size_at IMG ESP_LBA: the byte offset of /boot/kernel.elf's size
# field (FAT32: the first directory cluster after the root holds it), -1
# when the entry is not there.
kernel_size_at() {
  python3 - "$1" $(($2 * 512)) <<'PY'
import struct, sys
img, base = sys.argv[1], int(sys.argv[2])
with open(img, "rb") as f:
    f.seek(base); b = f.read(512)
    bps, spc, res = struct.unpack_from("<HBH", b, 11); nf = b[16]; fsz = struct.unpack_from("<I", b, 36)[0]
    data = base + (res + nf * fsz) * bps
    f.seek(data); d = f.read(1 << 20)
i = d.find(b"KERNEL  ELF")
print(data + i + 28 if i >= 0 else -1)
PY
}

# A kernel entry claiming 0xF0000000 bytes: named as corrupt, nothing allocated.
cp --sparse=always "$GOOD" "$T/bad.img"
off=$(kernel_size_at "$T/bad.img" "$ESP_START")
printf '\x00\x00\x00\xf0' | dd of="$T/bad.img" bs=1 seek="$off" conv=notrunc status=none
inspect_says "inspect: a kernel entry of 0xF0000000 bytes is corrupt, not out of memory" "$T/bad.img" \
  "PROBLEM \(BIOS\+UEFI\): /boot/kernel.elf: corrupt FAT volume: file size larger than the volume's data area"

# On a volume big enough to hold it (8 GiB, sparse), an entry claiming
# 3 GiB passes the data-area bound: the chain, checked before anything is
# allocated, names it. Under a 1 GiB address-space limit a 3 GiB malloc
# would fail and say "no memory" instead.
"$MKIMAGE" -c images/disk.conf --size 8G -o "$T/big.img" >/dev/null 2>&1
read -r BIG_ESP _ < <(esp_of "$T/big.img")
off=$(kernel_size_at "$T/big.img" "$BIG_ESP")
if [ "$off" -lt 0 ]; then fail "inspect: a 3 GiB claim on an 8 GiB volume" "no KERNEL  ELF entry found"; else
  printf '\x00\x00\x00\xc0' | dd of="$T/big.img" bs=1 seek="$off" conv=notrunc status=none
  out=$( (ulimit -v 1048576; timeout 30 "$MKIMAGE" --inspect "$T/big.img") 2>&1)
  expect_match "inspect: a 3 GiB claim on an 8 GiB volume is a short chain, checked before any allocation" "$out" \
    "PROBLEM \(BIOS\+UEFI\): /boot/kernel.elf: corrupt FAT volume: cluster chain shorter than the file size"
fi
rm -f "$T/big.img"

# Bytes from the image are escaped: a label holding ESC [ 2 J and BEL.
cp --sparse=always "$GOOD" "$T/bad.img"
printf '\033[2J\007' | dd of="$T/bad.img" bs=1 seek=$((ESP_START * 512 + 71)) conv=notrunc status=none
out=$("$MKIMAGE" --inspect "$T/bad.img" 2>&1)
if printf '%s' "$out" | grep -q $'[\x1b\x07]'; then fail "inspect: control bytes from the image are escaped" "raw ESC/BEL in the report"
else expect_match "inspect: control bytes from the image are escaped" "$out" 'label "\\x1b\[2J\\x07'; fi

# A FIFO is refused, not waited on.
mkfifo "$T/fifo"
out=$(timeout 10 "$MKIMAGE" --inspect "$T/fifo" 2>&1); rc=$?
expect_match "inspect: a FIFO is refused at once" "$out rc=$rc" "mkimage: error: .*fifo: not an image file or block device rc=1"

finish

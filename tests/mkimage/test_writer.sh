#!/usr/bin/env bash
# mkimage's features, checked from outside: recipes (relative paths,
# command-line overrides), boot.cfg, extra files and long names read back
# with mtools, reproducibility and --seed, SOURCE_DATE_EPOCH, sparseness,
# one-firmware images, the MBR modes and flags, the stage1 patch.
# (tests/image/ runs the independent-tool matrix over sizes.)
# QUICK=1 runs the most important cases only.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/inputs.sh"

[ -x "$MKIMAGE" ] || { fail "mkimage built" "$MKIMAGE missing"; finish; }
make_inputs || { fail "test inputs" "could not build them"; finish; }
unset SOURCE_DATE_EPOCH
export MTOOLS_SKIP_CHECK=1

# esp_offset IMG: byte offset of the ESP (GPT or MBR entry), for mtools' @@.
esp_offset() { echo $(( $(sfdisk -d "$1" 2>/dev/null | awk -F'start=' '/type=(C12A7328|ef|c)/{split($2,a,",");print a[1]+0; exit}') * 512 )); }
# le32 FILE OFFSET
le32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
byte() { od -An -tx1 -j "$2" -N1 "$1" | tr -d ' '; }

# ---- a recipe, run from elsewhere, relative paths -------------------------
R=$T/recipe
mkdir -p "$R/in" "$R/extra"
cp "$KERNEL" "$EFI" "$STAGE1" "$STAGE2" "$R/in/"
printf 'first line\nsecond line\n' > "$R/extra/notes.txt"
head -c 70000 /dev/urandom > "$R/extra/blob.bin"
cat > "$R/img.conf" <<CONF
# a test recipe
output  = out.img
size    = 64M
kernel  = in/$(basename "$KERNEL")
efi     = in/$(basename "$EFI")
stage1  = in/stage1.bin
stage2  = in/stage2.bin
cmdline = console=ttyS0 test
resolution = 800x600
file    = extra/notes.txt=/docs/Release notes for everyone.txt
file    = extra/blob.bin=/data/sub/dir/blob.bin
CONF
( cd / && "$MKIMAGE" -c "$R/img.conf" ) >/dev/null 2>"$T/err"
IMG1=$R/out.img
if [ -f "$IMG1" ]; then pass "recipe: paths relative to the recipe's folder"; else fail "recipe: paths relative to the recipe's folder" "$(cat "$T/err")"; fi
expect_eq "recipe: image has the recipe's size" "$(stat -c %s "$IMG1" 2>/dev/null)" $((64 << 20))
OFF=$(esp_offset "$IMG1")
cfg=$(mtype -i "$IMG1@@$OFF" ::/boot/boot.cfg 2>&1)
expect_match "boot.cfg: kernel path" "$cfg" '^kernel=/boot/kernel\.elf$'
expect_match "boot.cfg: command line" "$cfg" '^cmdline=console=ttyS0 test$'
expect_match "boot.cfg: resolution" "$cfg" '^resolution=800x600$'
expect_match "boot.cfg: kernel_sha256 is the kernel's hash" "$cfg" "^kernel_sha256=$(sha256sum "$KERNEL" | cut -d' ' -f1)\$"
for f in "/EFI/BOOT/BOOTX64.EFI:$EFI" "/boot/kernel.elf:$KERNEL" "/docs/Release notes for everyone.txt:$R/extra/notes.txt" \
         "/data/sub/dir/blob.bin:$R/extra/blob.bin"; do
  dest=${f%%:*} src=${f#*:}
  rm -f "$T/got"
  if mcopy -n -i "$IMG1@@$OFF" "::$dest" "$T/got" 2>/dev/null && cmp -s "$T/got" "$src"; then
    pass "mtools reads back $dest byte for byte"
  else fail "mtools reads back $dest byte for byte"; fi
done
expect_match "long file name listed by mdir" "$(mdir -i "$IMG1@@$OFF" ::/docs 2>&1)" "Release notes for everyone\.txt"

# Command line overrides the recipe.
"$MKIMAGE" -c "$R/img.conf" -o "$T/over.img" --cmdline "quiet" --size 8M 2>/dev/null
expect_eq "recipe: -o and --size override it" "$(stat -c %s "$T/over.img" 2>/dev/null)" $((8 << 20))
expect_match "recipe: --cmdline overrides it" "$(mtype -i "$T/over.img@@1M" ::/boot/boot.cfg 2>&1)" '^cmdline=quiet$'

# ---- reproducibility and the seed ----------------------------------------
"$MKIMAGE" -c "$R/img.conf" -o "$T/again.img" 2>/dev/null
check "reproducible: same inputs, byte-identical image" cmp "$IMG1" "$T/again.img"
"$MKIMAGE" -c "$R/img.conf" -o "$T/seed1.img" --seed one 2>/dev/null
"$MKIMAGE" -c "$R/img.conf" -o "$T/seed1b.img" --seed one 2>/dev/null
"$MKIMAGE" -c "$R/img.conf" -o "$T/seed2.img" --seed two 2>/dev/null
check "reproducible: same --seed, byte-identical image" cmp "$T/seed1.img" "$T/seed1b.img"
g1=$(sgdisk -p "$T/seed1.img" 2>/dev/null | sed -n 's/^Disk identifier (GUID): //p')
g2=$(sgdisk -p "$T/seed2.img" 2>/dev/null | sed -n 's/^Disk identifier (GUID): //p')
p1=$(sfdisk -d "$T/seed1.img" 2>/dev/null | grep -o 'uuid=[^,]*' | tr '\n' ' ')
p2=$(sfdisk -d "$T/seed2.img" 2>/dev/null | grep -o 'uuid=[^,]*' | tr '\n' ' ')
if [ -n "$g1" ] && [ "$g1" != "$g2" ] && [ -n "$p1" ] && [ "$p1" != "$p2" ]; then
  pass "--seed changes the disk and partition GUIDs"
else fail "--seed changes the disk and partition GUIDs" "'$g1' '$g2' / '$p1' '$p2'"; fi
u1=$(echo "$p1" | awk '{print $1}') u2=$(echo "$p1" | awk '{print $2}')
if [ -n "$u1" ] && [ "$u1" != "$u2" ] && [ "$u1" != "uuid=$g1" ]; then pass "GUIDs unique per partition"; else fail "GUIDs unique per partition" "$p1 / $g1"; fi
expect_match "GUIDs carry the RFC 4122 variant and version 4" "$g1 $p1" '^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12} '

# The default seed follows every input: one byte changed in the middle of
# the EFI loader (which is not hashed for boot.cfg) changes the GUIDs.
cp "$EFI" "$T/efi2"
size=$(stat -c %s "$T/efi2")
printf '\x5a' | dd of="$T/efi2" bs=1 seek=$((size / 2 + 3)) conv=notrunc status=none
cmp -s "$T/efi2" "$EFI" || printf '\xa5' | dd of="$T/efi2" bs=1 seek=$((size / 2 + 3)) conv=notrunc status=none
"$MKIMAGE" -c "$R/img.conf" -o "$T/efi2.img" --efi "$T/efi2" 2>/dev/null
g3=$(sgdisk -p "$T/efi2.img" 2>/dev/null | sed -n 's/^Disk identifier (GUID): //p')
g0=$(sgdisk -p "$IMG1" 2>/dev/null | sed -n 's/^Disk identifier (GUID): //p')
if [ -n "$g3" ] && [ "$g3" != "$g0" ]; then pass "default seed: one changed byte in an input changes the GUIDs"
else fail "default seed: one changed byte in an input changes the GUIDs" "'$g0' vs '$g3'"; fi

# ---- sparseness ------------------------------------------------------------
du64=$(du -k "$IMG1" | cut -f1)
if [ "$du64" -lt 1024 ]; then pass "sparse: the 64M image occupies ${du64} KiB"; else fail "sparse: the 64M image occupies ${du64} KiB"; fi

if [ "${QUICK:-0}" != 1 ]; then
  # ---- timestamps --------------------------------------------------------
  expect_match "timestamps: fixed 1980-01-01 without SOURCE_DATE_EPOCH" "$(mdir -i "$IMG1@@$OFF" ::/boot 2>&1)" "1980-01-01"
  SOURCE_DATE_EPOCH=1700000000 "$MKIMAGE" -c "$R/img.conf" -o "$T/sde.img" 2>/dev/null
  expect_match "timestamps: from SOURCE_DATE_EPOCH (2023-11-14 22:13)" "$(mdir -i "$T/sde.img@@$OFF" ::/boot 2>&1)" "2023-11-14 +22:13"

  # ---- the stage1 patch and stage2 placement ------------------------------
  expect_eq "stage1 patch: magic kept" "$(le32 "$IMG1" 424)" 827545928
  expect_eq "stage1 patch: stage2 sectors" "$(le32 "$IMG1" 428)" $(( ($(stat -c %s "$STAGE2") + 511) / 512 ))
  s2lba=$(le32 "$IMG1" 432)
  bios_start=$(sfdisk -d "$IMG1" | awk -F'start=' '/21686148/{split($2,a,",");print a[1]+0}')
  expect_eq "stage1 patch: stage2 LBA is the BIOS boot partition's start" "$s2lba" "$bios_start"
  dd if="$IMG1" bs=512 skip="$s2lba" count=$(( ($(stat -c %s "$STAGE2") + 511) / 512 )) status=none | head -c "$(stat -c %s "$STAGE2")" > "$T/s2"
  check "stage2 stored at that LBA" cmp "$T/s2" "$STAGE2"
  cmp -s <(head -c 424 "$IMG1") <(head -c 424 "$STAGE1") && pass "stage1 code at LBA 0" || fail "stage1 code at LBA 0"
  expect_eq "MBR signature 55aa" "$(byte "$IMG1" 510)$(byte "$IMG1" 511)" 55aa

  # ---- MBR modes and flags ------------------------------------------------
  expect_eq "hybrid: entry 1 is 0xEE, not active" "$(byte "$IMG1" 446)$(byte "$IMG1" 450)" 00ee
  expect_eq "hybrid: entry 2 is the ESP (0xEF), active" "$(byte "$IMG1" 462)$(byte "$IMG1" 466)" 80ef
  expect_eq "hybrid: entry 2 starts at LBA 2048" "$(le32 "$IMG1" 470)" 2048
  "$MKIMAGE" -c "$R/img.conf" -o "$T/ee.img" --active-ee --esp-mbr-type 0c 2>/dev/null
  expect_eq "--active-ee: 0xEE active, ESP not" "$(byte "$T/ee.img" 446)$(byte "$T/ee.img" 462)" 8000
  expect_eq "--esp-mbr-type 0c" "$(byte "$T/ee.img" 466)" 0c
  "$MKIMAGE" -c "$R/img.conf" -o "$T/prot.img" --mbr protective 2>/dev/null
  expect_eq "protective: one 0xEE entry from LBA 1" "$(byte "$T/prot.img" 450):$(le32 "$T/prot.img" 454):$(byte "$T/prot.img" 466)" "ee:1:00"
  expect_eq "protective: 0xEE covers the disk" "$(le32 "$T/prot.img" 458)" $(( (64 << 11) - 1 ))
  "$MKIMAGE" -c "$R/img.conf" -o "$T/mbronly.img" --mbr mbr-only 2>/dev/null
  d=$(sfdisk -d "$T/mbronly.img" 2>&1)
  expect_match "mbr-only: a DOS label" "$d" "^label: dos"
  expect_match "mbr-only: one active ESP partition" "$d" "start= *2048, .*type=ef, bootable"
  expect_match "mbr-only: no GPT signature at LBA 1" "$(dd if="$T/mbronly.img" bs=512 skip=1 count=1 status=none | head -c 8 | od -c)" "0000000 +\\\\0"
  mcopy -n -i "$T/mbronly.img@@1M" ::/boot/kernel.elf "$T/k-mbr" 2>/dev/null
  check "mbr-only: the ESP still reads back" cmp "$T/k-mbr" "$KERNEL"

  # ---- one-firmware images -------------------------------------------------
  lay=$("$MKIMAGE" -o "$T/u.img" --kernel "$KERNEL" --efi "$EFI" --print-layout 2>&1)
  expect_match "UEFI-only: --print-layout says so" "$lay" "UEFI only"
  [ ! -e "$T/u.img" ] && pass "--print-layout writes nothing" || fail "--print-layout writes nothing"
  "$MKIMAGE" -o "$T/u.img" --kernel "$KERNEL" --efi "$EFI" 2>/dev/null
  expect_eq "UEFI-only: only the ESP partition" "$(sfdisk -d "$T/u.img" 2>/dev/null | grep -c '^/\|img[0-9]')" 1
  expect_match "UEFI-only: MBR stub, not stage1" "$(head -c 200 "$T/u.img" | strings)" "UEFI only"
  lay=$("$MKIMAGE" -o "$T/b.img" --kernel "$KERNEL" --stage1 "$STAGE1" --stage2 "$STAGE2" --print-layout 2>&1)
  expect_match "BIOS-only: --print-layout says so" "$lay" "BIOS only"
  "$MKIMAGE" -o "$T/b.img" --kernel "$KERNEL" --stage1 "$STAGE1" --stage2 "$STAGE2" 2>/dev/null
  if mdir -i "$T/b.img@@1M" ::/EFI >/dev/null 2>&1; then fail "BIOS-only: no /EFI on the ESP"; else pass "BIOS-only: no /EFI on the ESP"; fi

  # ---- FAT choices, size warnings -----------------------------------------
  lay=$("$MKIMAGE" -c "$R/img.conf" --print-layout 2>&1)
  expect_match "64M: FAT32 ESP with 512-byte clusters" "$lay" "ESP +FAT32, 512-byte clusters"
  lay=$("$MKIMAGE" -c "$R/img.conf" --fat 16 --print-layout 2>&1)
  expect_match "--fat 16 forces FAT16 on 64M" "$lay" "ESP +FAT16"
  w=$("$MKIMAGE" -o "$T/small.img" --kernel "$KERNEL" --efi "$EFI" --size 4M 2>&1 >/dev/null)
  expect_match "ESP under 8 MiB: a warning, not a failure" "$w" "^mkimage: warning: .*at least 8 MiB"
  [ -f "$T/small.img" ] && pass "ESP under 8 MiB: image still written" || fail "ESP under 8 MiB: image still written"
  w=$("$MKIMAGE" -o "$T/s33.img" --kernel "$KERNEL" --efi "$EFI" --size 34M --fat 32 2>&1 >/dev/null)
  expect_match "FAT32 ESP under 33 MiB: a warning" "$w" "^mkimage: warning: .*under 33 MiB"
  lay=$("$MKIMAGE" -o "$T/big.img" --kernel "$KERNEL" --efi "$EFI" --size 3T --print-layout 2>&1)
  expect_match "3T: --print-layout names the free space after the 2 TiB ESP" "$lay" "^free .*FAT32 ends at 2\\^32-1 sectors"

  # ---- many files, deep folders, exact cluster multiples, each FAT type ----
  mkdir -p "$T/many"
  margs=()
  for i in $(seq 1 300); do printf 'file %d\n' "$i" > "$T/many/f$i"; margs+=(--file "$T/many/f$i=/Root file number $i.txt"); done
  head -c 512 /dev/urandom > "$T/many/c512"; head -c 4096 /dev/urandom > "$T/many/c4k"; : > "$T/many/empty"
  margs+=(--file "$T/many/c512=/a/b/c/d/e/f/g/exact512.bin" --file "$T/many/c4k=/a/b/c/d/e/f/g/exact4k.bin" --file "$T/many/empty=/a/empty")
  for spec in 12:8M 16:40M 32:100M; do
    fat=${spec%%:*} size=${spec#*:}
    rm -f "$T/many.img"
    "$MKIMAGE" -o "$T/many.img" --size "$size" --fat "$fat" --kernel "$KERNEL" --efi "$EFI" "${margs[@]}" 2>/dev/null
    cnt=$(sfdisk -d "$T/many.img" 2>/dev/null | awk -F'size=' '/EFI system/{split($2,a,",");print a[1]+0}')
    dd if="$T/many.img" of="$T/many-esp.img" bs=1M skip=1 status=none; truncate -s $((cnt * 512)) "$T/many-esp.img"
    check "FAT$fat, 300 long names in the root (> 512 slots), deep folders: fsck.fat clean" fsck.fat -n "$T/many-esp.img"
    bad=0
    for i in 1 150 300; do
      mcopy -n -i "$T/many.img@@1M" "::/Root file number $i.txt" "$T/got" 2>/dev/null && cmp -s "$T/got" "$T/many/f$i" || bad=$((bad + 1))
    done
    for p in c512:/a/b/c/d/e/f/g/exact512.bin c4k:/a/b/c/d/e/f/g/exact4k.bin empty:/a/empty; do
      rm -f "$T/got"
      mcopy -n -i "$T/many.img@@1M" "::${p#*:}" "$T/got" 2>/dev/null && cmp -s "$T/got" "$T/many/${p%%:*}" || bad=$((bad + 1))
    done
    expect_eq "FAT$fat: files read back byte for byte (exact cluster multiples, empty, deep)" "$bad" 0
  done

  # ---- output handling ------------------------------------------------------
  (umask 022; "$MKIMAGE" -c "$R/img.conf" -o "$T/mode.img" 2>/dev/null)
  expect_eq "output file mode follows the umask (0644)" "$(stat -c %a "$T/mode.img")" 644
  head -c 100 /dev/urandom > "$T/replace.img"
  "$MKIMAGE" -c "$R/img.conf" -o "$T/replace.img" 2>/dev/null
  check "an existing output is replaced" cmp "$T/replace.img" "$IMG1"
  expect_eq "no temporary files left beside the outputs" "$(find "$T" -maxdepth 1 -name '*.tmp*' | wc -l)" 0

  # ---- the command line itself ----------------------------------------------
  out=$("$MKIMAGE" --help 2>&1); rc=$?
  expect_eq "--help exits 0" "$rc" 0
  expect_match "--help lists the options" "$out" "--kernel FILE.*" 
  out=$("$MKIMAGE" --version 2>&1); rc=$?
  expect_eq "--version exits 0" "$rc" 0
  expect_match "--version prints a version" "$out" "^mkimage \\(hyboot\\) [0-9]"
  out=$("$MKIMAGE" --inspect "$IMG1" 2>&1); rc=$?
  expect_eq "--inspect passes on an image mkimage wrote" "$rc" 0
fi

# ---- modules (boot.cfg module=, module_string=, module_sha256=) -------------
M=$T/mods
mkdir -p "$M"
head -c 300000 /dev/urandom > "$M/initrd.img"
printf 'config for the kernel\n' > "$M/kernel.cfg"
head -c 1 /dev/urandom > "$M/tiny"
printf 'kernel = %s\nefi = %s\nmodule = mods/kernel.cfg  the config string\n' "$KERNEL" "$EFI" > "$T/mods.conf"
out=$("$MKIMAGE" -c "$T/mods.conf" -o "$T/mods.img" --module "$M/initrd.img=initrd" --module "$M/tiny" --seed m 2>&1); rc=$?
expect_eq "modules: an image with three modules (recipe + command line)" "$rc:$out" "0:"
off=$(esp_offset "$T/mods.img")
cfg=$(mtype -i "$T/mods.img@@$off" ::/boot/boot.cfg 2>&1)
expect_match "modules: boot.cfg lists them in order with strings and hashes" "$(printf '%s\n' "$cfg" | grep '^module' | tr '\n' ' ')" \
  "^module=/boot/kernel.cfg module_string=the config string module_sha256=$(sha256sum < "$M/kernel.cfg" | cut -c1-64) module=/boot/initrd.img module_string=initrd module_sha256=$(sha256sum < "$M/initrd.img" | cut -c1-64) module=/boot/tiny module_sha256=$(sha256sum < "$M/tiny" | cut -c1-64) $"
bad=0
for f in initrd.img kernel.cfg tiny; do
  mcopy -n -i "$T/mods.img@@$off" "::/boot/$f" "$T/back" 2>/dev/null && cmp -s "$T/back" "$M/$f" || bad=$((bad + 1))
done
expect_eq "modules: mtools reads back every module byte for byte" "$bad" 0
esp_bytes=$(( $(sfdisk -d "$T/mods.img" 2>/dev/null | awk -F'size=' '/C12A7328/{split($2,a,",");print a[1]+0; exit}') * 512 ))
python3 "$TOP/tests/image/helpers.py" extract "$T/mods.img" "$off" "$esp_bytes" "$T/mods-esp.img"
check "modules: fsck.fat -n on the ESP is clean" fsck.fat -n "$T/mods-esp.img"
out=$("$MKIMAGE" --inspect "$T/mods.img" 2>&1); rc=$?
expect_match "modules: --inspect lists and verifies all three" "$rc $(printf '%s\n' "$out" | grep -c 'module hash matches boot.cfg')" "^0 3$"
expect_match "modules: --inspect shows the strings" "$out" 'module 2: /boot/initrd.img, string "initrd"'
out=$("$MKIMAGE" -c "$T/mods.conf" --module "$M/initrd.img=initrd" --print-layout 2>&1)
expect_match "modules: --print-layout lists them" "$out" '/boot/initrd.img +300000 bytes +string "initrd" +sha256 [0-9a-f]{16}'
# A tampered module: --inspect names it and both paths break.
head -c 300000 /dev/urandom > "$T/other"
mcopy -o -i "$T/mods.img@@$off" "$T/other" ::/boot/initrd.img
out=$("$MKIMAGE" --inspect "$T/mods.img" 2>&1); rc=$?
expect_eq "modules: a tampered module fails --inspect" "$rc" 1
expect_match "modules: a tampered module is named" "$out" \
  "PROBLEM \(UEFI\): module /boot/initrd.img does not match boot.cfg's module_sha256"
# Big modules are hashed with the SHA extensions when the CPU has them:
# the same digest either way.
head -c 5000000 /dev/urandom > "$M/big"
a=$("$MKIMAGE" -o "$T/h1.img" --kernel "$KERNEL" --efi "$EFI" --module "$M/big" --print-layout | grep -o 'sha256 [0-9a-f]*')
b=$(MKIMAGE_NO_SHA_NI=1 "$MKIMAGE" -o "$T/h1.img" --kernel "$KERNEL" --efi "$EFI" --module "$M/big" --print-layout | grep -o 'sha256 [0-9a-f]*')
expect_eq "modules: SHA-256 with and without SHA-NI agree, and match sha256sum" "$a|$b" \
  "sha256 $(sha256sum < "$M/big" | cut -c1-16)|sha256 $(sha256sum < "$M/big" | cut -c1-16)"

# ---- recipes with a BOM, and aliases whatever the order of --file ----------
printf '\xef\xbb\xbfkernel = %s\nefi = %s\nsize = 16M\n' "$KERNEL" "$EFI" > "$T/bom.conf"
out=$("$MKIMAGE" -c "$T/bom.conf" -o "$T/bom.img" 2>&1); rc=$?
expect_eq "recipe starting with a UTF-8 BOM is read" "$rc:$out" "0:"
printf 'one\n' > "$T/a"; printf 'two\n' > "$T/b"
"$MKIMAGE" -o "$T/o1.img" --kernel "$KERNEL" --efi "$EFI" --file "$T/a=/longfilename.txt" --file "$T/b=/longfi~1.txt" 2>/dev/null
"$MKIMAGE" -o "$T/o2.img" --kernel "$KERNEL" --efi "$EFI" --file "$T/b=/longfi~1.txt" --file "$T/a=/longfilename.txt" 2>/dev/null
ok=0
for img in "$T/o1.img" "$T/o2.img"; do
  off=$(esp_offset "$img")
  [ "$(mtype -i "$img@@$off" ::/longfi~1.txt 2>/dev/null)" = two ] &&
    [ "$(mtype -i "$img@@$off" ::/longfilename.txt 2>/dev/null)" = one ] &&
    [ "$("$B/tests/fatcat" -o "$off" "$img" cat /LONGFI~1.TXT 2>/dev/null)" = two ] && ok=$((ok + 1))
done
expect_eq "a long name that looks like another's alias: unambiguous in both --file orders" "$ok" 2

# 4000 long names that share their first six characters: 8.3 aliases were
# cubic (63 s for 4000 files, issue 15 §3.8); now a few hundred ms.
args=()
for i in $(seq -w 1 4000); do args+=(--file "$T/a=/d/longfilename_$i.txt"); done
t0=$(date +%s%N)
"$MKIMAGE" -o "$T/many.img" --kernel "$KERNEL" --efi "$EFI" --size 64M "${args[@]}" 2>/dev/null; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
off=$(esp_offset "$T/many.img")
n=$(mdir -b -i "$T/many.img@@$off" ::/d 2>/dev/null | grep -c 'longfilename_')
expect_eq "4000 files with one 6-character prefix: written (rc), all listed by mdir" "$rc:$n" "0:4000"
expect_match "4000 files with one 6-character prefix: in under 5 s (${ms} ms)" "$ms" '^[0-9]{1,4}$'
cnt=$(sfdisk -d "$T/many.img" 2>/dev/null | awk -F'size=' '/EFI system/{split($2,a,",");print a[1]+0}')
dd if="$T/many.img" of="$T/many-esp.img" bs=512 skip=$((off / 512)) count="$cnt" status=none
check "4000 files with one 6-character prefix: fsck.fat -n clean" fsck.fat -n "$T/many-esp.img"

# ---- BOOTIA32.EFI (efi32) and 4Kn images (sector-size) ----------------------
printf 'kernel = %s\nefi = %s\nefi32 = %s\nstage1 = %s\nstage2 = %s\nsector-size = 4096\n' \
  "$KERNEL" "$EFI" "$EFI32" "$STAGE1" "$STAGE2" > "$T/k4.conf"
out=$("$MKIMAGE" -c "$T/k4.conf" -o "$T/k4.img" 2>&1); rc=$?
expect_eq "recipe with efi32 and sector-size = 4096 makes an image" "$rc:$out" "0:"
got=$(od -An -c -j 4096 -N 8 "$T/k4.img" | tr -d ' ')
expect_eq "4Kn: the GPT header is at byte 4096 (LBA 1)" "$got" "EFIPART"
expect_eq "4Kn: nothing at byte 512" "$(od -An -tx1 -j 512 -N 8 "$T/k4.img" | tr -d ' ')" "0000000000000000"
expect_eq "4Kn: the MBR's ESP entry starts at LBA 256 (1 MiB in 4 KiB sectors)" "$(le32 "$T/k4.img" $((446 + 16 + 8)))" 256
expect_eq "4Kn: the FAT's bytes per sector is 4096" "$(od -An -tu2 -j $((1048576 + 11)) -N2 "$T/k4.img" | tr -d ' ')" 4096
expect_eq "4Kn: stage1 loads stage2 from LBA 6" "$(le32 "$T/k4.img" $((424 + 8)))" 6
ok=1
for f in "/EFI/BOOT/BOOTIA32.EFI:$EFI32" "/EFI/BOOT/BOOTX64.EFI:$EFI" "/boot/kernel.elf:$KERNEL"; do
  rm -f "$T/got"
  mcopy -n -i "$T/k4.img@@1048576" "::${f%%:*}" "$T/got" 2>/dev/null && cmp -s "$T/got" "${f#*:}" || ok=0
done
expect_eq "4Kn: mtools reads BOOTIA32.EFI, BOOTX64.EFI and the kernel back byte for byte" "$ok" 1
expect_eq "4Kn: stage2 at byte 6 * 4096" "$(od -An -c -j $((6 * 4096 + 8)) -N 8 "$T/k4.img" | tr -d ' ')" "HYSTAGE2"
"$MKIMAGE" -c "$T/k4.conf" -o "$T/k4b.img" 2>/dev/null
check "4Kn: same inputs, same bytes" cmp "$T/k4.img" "$T/k4b.img"
"$MKIMAGE" -c "$T/k4.conf" --sector-size 512 -o "$T/k512.img" 2>/dev/null
expect_eq "the sector size is part of the default seed (other GUIDs)" \
  "$(cmp -s <(od -An -tx1 -j $((4096 + 56)) -N 16 "$T/k4.img") <(od -An -tx1 -j $((512 + 56)) -N 16 "$T/k512.img"); echo $?)" 1
out=$("$MKIMAGE" -c "$T/k4.conf" --print-layout 2>&1)
expect_match "--print-layout: 4096-byte sectors" "$out" "sectors of 4096 bytes"
expect_match "--print-layout: BOOTIA32.EFI for 32-bit firmware" "$out" "BOOTIA32.EFI for 32-bit firmware"
expect_match "--print-layout: lists /EFI/BOOT/BOOTIA32.EFI" "$out" "/EFI/BOOT/BOOTIA32.EFI +[0-9]+ bytes"
expect_match "--print-layout: GPT entries in 4 sectors" "$out" "primary LBA 1 \(entries 2\.\.5\)"
expect_match "--print-layout: usable from LBA 6" "$out" "usable LBA 6 \.\."
out=$("$MKIMAGE" -o "$T/u32.img" --kernel "$KERNEL" --efi32 "$EFI32" --print-layout 2>&1)
expect_match "an image with only BOOTIA32.EFI boots UEFI only" "$out" "^boots +UEFI \(BOOTIA32.EFI for 32-bit firmware\) only"
finish

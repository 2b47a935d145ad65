#!/usr/bin/env bash
# common/fat.c against volumes made by the standard tools: mkfs.fat makes
# FAT12, FAT16 and FAT32 volumes, mtools fills them (long names, nested
# directories, a directory spanning clusters, a fragmented file), and
# build/tests/fatcat (our driver) must list every name and read every file
# back byte-for-byte, also at a partition offset and with max_run caps.
# QUICK=1: FAT32 only.
. "$(dirname "$0")/../lib.sh"
FATCAT=$B/tests/fatcat
export MTOOLS_SKIP_CHECK=1
# mtools converts names to UTF-16 through the locale: non-ASCII names need UTF-8.
export LC_ALL=C.UTF-8
[ -x "$FATCAT" ] || { fail "fatcat built" "missing $FATCAT (make build/tests/fatcat)"; finish; }

# ---- the files every volume gets -------------------------------------------
SRC=$T/src
mkdir -p "$SRC/dir one/Dir Two/dir three" "$SRC/many" "$SRC/EFI/BOOT" "$SRC/boot"
rnd() { head -c "$2" /dev/urandom > "$1"; }
printf 'hello, fat\n' > "$SRC/small.txt"
: > "$SRC/empty.dat"
rnd "$SRC/A long file name with spaces.txt" 5000
rnd "$SRC/UPPER lower MiXeD.Bin" 2049
rnd "$SRC/$(printf 'n%.0s' {1..100}).long" 777       # a 100-character name: 8 LFN entries
rnd "$SRC/dir one/Dir Two/dir three/deep file.bin" 70000
rnd "$SRC/abcdefghij.13" 100                          # exactly one LFN entry, no terminator
rnd "$SRC/abcdefghijklmnopqrstuv.txt" 200             # exactly two
rnd "$SRC/naïve café €.txt" 300                       # non-ASCII: UTF-16 in the LFN, UTF-8 out
rnd "$SRC/EFI/BOOT/BOOTX64.EFI" 40000
rnd "$SRC/boot/kernel.elf" 300000
printf 'kernel=/boot/kernel.elf\n' > "$SRC/boot/boot.cfg"
for i in $(seq 1 120); do printf 'file %d\n' "$i" > "$SRC/many/entry number $i.txt"; done

# image TYPE SIZE_KIB [mkfs args...]: a filled volume in $T/fatTYPE.img
image() {
  local type=$1 kib=$2; shift 2
  local img=$T/fat$type.img
  rm -f "$img"
  mkfs.fat -C -F "$type" -n "HYTEST$type" "$@" "$img" "$kib" >/dev/null || return 1
  # Every directory first, then files; mcopy -s would also work but explicit
  # calls keep the order (and so the layout) predictable.
  local d f
  while read -r d; do
    mmd -i "$img" "::/${d#./}" || return 1
  done < <(cd "$SRC" && find . -mindepth 1 -type d | sort)
  while read -r f; do
    mcopy -i "$img" "$SRC/${f#./}" "::/${f#./}" || return 1
  done < <(cd "$SRC" && find . -type f | sort)
  # A fragmented file: three files in a row, delete the middle one, then a
  # larger file fills the hole first and continues after the third.
  rnd "$T/a1" 20000; rnd "$T/a2" 20000; rnd "$T/a3" 20000; rnd "$T/frag.bin" 150000
  mcopy -i "$img" "$T/a1" ::/a1.bin && mcopy -i "$img" "$T/a2" ::/a2.bin &&
    mcopy -i "$img" "$T/a3" ::/a3.bin && mdel -i "$img" ::/a2.bin || return 1
  # On FAT32 mtools follows FSInfo's next-free hint past the hole; set the
  # hint to "unknown" (0xFFFFFFFF, FSInfo offset 492) so it searches from
  # the start like on FAT12/16.
  if [ "$type" = 32 ]; then
    local fsinfo
    fsinfo=$(od -An -tu2 -j48 -N2 "$img" | tr -d ' ')
    printf '\xff\xff\xff\xff' | dd of="$img" bs=1 seek=$(( fsinfo * 512 + 492 )) conv=notrunc status=none
  fi
  mcopy -i "$img" "$T/frag.bin" ::/frag.bin
}

# What find should report: "SIZE /path" for every file.
expected_list() {
  (cd "$SRC" && find . -type f -printf '%s /%P\n')
  local f
  for f in a1 a3 frag.bin; do printf '%s /%s\n' "$(stat -c %s "$T/$f")" "${f%.bin}.bin"; done
}

check_volume() {
  local type=$1 img=$T/fat$1.img off=${2:-0} tag="FAT$1${2:+ @$2}"
  local info
  info=$("$FATCAT" -o "$off" "$img" info 2>&1)
  expect_match "$tag: mounts as FAT$type" "$info" "^type=FAT$type "

  local got want
  got=$("$FATCAT" -o "$off" "$img" find 2>&1 | LC_ALL=C sort)
  want=$(expected_list | LC_ALL=C sort)
  expect_eq "$tag: lists every file with its size (long names, nested dirs, 120-entry dir)" "$got" "$want"

  local bad=0 n=0 path
  while read -r _ path; do
    n=$((n + 1))
    local src=$SRC$path
    case "$path" in /a1.bin) src=$T/a1 ;; /a3.bin) src=$T/a3 ;; /frag.bin) src=$T/frag.bin ;; esac
    if ! "$FATCAT" -o "$off" "$img" cat "$path" 2>"$T/err" | cmp -s - "$src"; then
      bad=$((bad + 1)); echo "    differs: $path $(cat "$T/err")"
    fi
  done <<< "$want"
  expect_eq "$tag: all $n files read back byte-for-byte" "$bad" 0

  # The short (8.3) alias and a different case open the same file.
  local alias
  alias=$(mdir -i "$img@@$off" -/ ::/ 2>/dev/null | awk '/A long file name with spaces.txt/ {print $1 "." $2; exit}')
  if [ -n "$alias" ]; then
    "$FATCAT" -o "$off" "$img" cat "/$alias" | cmp -s - "$SRC/A long file name with spaces.txt" &&
      "$FATCAT" -o "$off" "$img" cat "/a LONG file NAME with SPACES.TXT" | cmp -s - "$SRC/A long file name with spaces.txt"
    check "$tag: 8.3 alias $alias and other case read the same file" test $? -eq 0
  else
    fail "$tag: 8.3 alias" "mdir did not show the alias"
  fi
}

check_reads() {
  local type=$1 img=$T/fat$1.img stats_k stats_f
  # The kernel lies in one run: its data must take 2 calls (the run, and
  # the partial last sector through the scratch buffer: 300000 % 512 != 0).
  stats_k=$("$FATCAT" -s "$img" cat /boot/kernel.elf 2>&1 >/dev/null | sed -n 's/.*file_reads=\([0-9]*\).*/\1/p')
  expect_eq "FAT$type: contiguous 300000-byte file read in one run + tail" "$stats_k" 2
  stats_f=$("$FATCAT" -s "$img" cat /frag.bin 2>&1 >/dev/null | sed -n 's/.*file_reads=\([0-9]*\).*/\1/p')
  check "FAT$type: frag.bin is fragmented (file reads: $stats_f)" test "${stats_f:-0}" -ge 3
  local r
  for r in 1 7 127; do
    "$FATCAT" -r $r "$img" cat /frag.bin | cmp -s - "$T/frag.bin" || { fail "FAT$type: max_run $r reads frag.bin" "differs"; continue; }
    pass "FAT$type: max_run $r reads frag.bin"
  done
  local sectors1
  sectors1=$("$FATCAT" -s -r 1 "$img" cat /boot/kernel.elf 2>&1 >/dev/null | sed -n 's/.*file_reads=\([0-9]*\).*/\1/p')
  expect_eq "FAT$type: max_run 1 makes one call per sector" "$sectors1" 586
}

check_fs_type_ignored() {
  local type=$1 img=$T/fat$1.img lie=$T/lie$1.img at
  cp "$img" "$lie"
  at=$([ "$type" = 32 ] && echo 82 || echo 54)
  local other="FAT12   "
  [ "$type" = 12 ] && other="FAT16   "
  printf '%s' "$other" | dd of="$lie" bs=1 seek="$at" conv=notrunc status=none
  expect_match "FAT$type: type from the cluster count, not the fs_type string" \
    "$("$FATCAT" "$lie" info 2>&1)" "^type=FAT$type "
}

check_errors() {
  local type=$1 img=$T/fat$1.img bad=$T/bad$1.img out
  cp "$img" "$bad"
  printf '\x00' | dd of="$bad" bs=1 seek=0 conv=notrunc status=none
  out=$("$FATCAT" "$bad" info 2>&1); rc=$?
  expect_match "FAT$type: no jump byte is refused (rc $rc)" "$out rc=$rc" "not a FAT volume rc=1"

  out=$("$FATCAT" "$img" cat /boot/nothere.elf 2>&1); rc=$?
  expect_match "FAT$type: missing file named" "$out rc=$rc" "nothere.elf: file not found rc=1"
  out=$("$FATCAT" "$img" cat /small.txt/x 2>&1); rc=$?
  expect_match "FAT$type: file as directory refused" "$out rc=$rc" "not a directory rc=1"

  # Cut the image 8 sectors into the data area: a read error with its LBA.
  local data_lba
  data_lba=$("$FATCAT" "$img" info | sed 's/.*data_lba=\([0-9]*\).*/\1/')
  head -c $(( data_lba * 512 + 4096 )) "$img" > "$bad"
  out=$("$FATCAT" "$bad" cat /boot/kernel.elf 2>&1); rc=$?
  expect_match "FAT$type: truncated image gives a read error with the LBA" "$out rc=$rc" "read error .* at LBA [0-9]+.* rc=1"
}

types="12 16 32"
[ "${QUICK:-0}" = 1 ] && types=32
for type in $types; do
  case $type in
    12) args=(4096) ;;                         # 4 MiB, ~2000 clusters of 2 KiB
    16) args=(32768) ;;                        # 32 MiB
    32) args=(69632 -s 1) ;;                   # 68 MiB, 512-byte clusters: ~137000
  esac
  if ! image "$type" "${args[@]}"; then fail "FAT$type: test image built with mkfs.fat + mtools"; continue; fi
  check "FAT$type: reference image passes fsck.fat -n" fsck.fat -n "$T/fat$type.img"
  check_volume "$type"
  check_reads "$type"
  check_fs_type_ignored "$type"
  check_errors "$type"
  # The same volume 1 MiB into a bigger file, read through the offset.
  if [ "$type" = 32 ] || [ "${QUICK:-0}" != 1 ]; then
    dd if="$T/fat$type.img" of="$T/fat$type.img.part" bs=1M seek=1 conv=sparse status=none
    mv "$T/fat$type.img.part" "$T/fat$type.img"
    check_volume "$type" 1048576
  fi
done
# Logical sectors of 1, 2 and 4 KiB (mkfs.fat -S; 4Kn media): the same
# files, read on a 512-byte device and (4 KiB) on a 4 KiB device. FAT16
# with one sector per cluster: about 5000 clusters.
for bps in 4096 2048 1024; do
  [ "${QUICK:-0}" = 1 ] && [ "$bps" != 4096 ] && continue
  img=$T/bps$bps.img
  rm -f "$img"
  if ! { mkfs.fat -C -F 16 -S "$bps" -s 1 "$img" $(( bps * 5000 / 1024 )) >/dev/null 2>&1 &&
         mmd -i "$img" ::/boot && mcopy -i "$img" "$SRC/boot/kernel.elf" ::/boot/kernel.elf &&
         mcopy -i "$img" "$SRC/naïve café €.txt" "::/naïve café €.txt"; }; then
    fail "FAT16 with $bps-byte sectors: image built"; continue
  fi
  expect_match "FAT16 with $bps-byte sectors: mounts" "$("$FATCAT" "$img" info 2>&1)" "^type=FAT16 .*bytes_per_sector=$bps"
  bad=0
  "$FATCAT" "$img" cat /boot/kernel.elf | cmp -s - "$SRC/boot/kernel.elf" || bad=1
  "$FATCAT" "$img" cat "/NAÏVE CAFÉ €.TXT" 2>/dev/null | cmp -s - "$SRC/naïve café €.txt" && bad=$((bad + 2))  # only ASCII folds
  "$FATCAT" "$img" cat "/naïve CAFé €.txt" | cmp -s - "$SRC/naïve café €.txt" || bad=$((bad + 4))
  if [ "$bps" = 4096 ]; then
    "$FATCAT" -S 4096 "$img" cat /boot/kernel.elf | cmp -s - "$SRC/boot/kernel.elf" || bad=$((bad + 8))
  fi
  expect_eq "FAT16 with $bps-byte sectors: files read back (and on a 4 KiB device)" "$bad" 0
  rm -f "$img"
done

# UTF-8 in a path is decoded strictly: the overlong spelling of 'a'
# (C1 A1) is not a name, only the real one is.
img=$T/utf.img
rm -f "$img"
mkfs.fat -C -F 12 "$img" 1024 >/dev/null && mcopy -i "$img" "$SRC/naïve café €.txt" "::/naïve café €.txt"
"$FATCAT" "$img" cat "/naïve café €.txt" >/dev/null 2>&1; a=$?
"$FATCAT" "$img" cat "/n$(printf '\xc1\xa1')ïve café €.txt" >/dev/null 2>&1; b=$?
expect_eq "UTF-8 path: the real spelling opens, an overlong one does not" "$a $b" "0 1"

# The second FAT: FAT #1 zeroed, the reader follows FAT #2 (and says so);
# both zeroed is a named corruption.
img=$T/fat2.img
rm -f "$img"
mkfs.fat -C -F 16 "$img" 16384 >/dev/null && mmd -i "$img" ::/boot && mcopy -i "$img" "$SRC/boot/kernel.elf" ::/boot/kernel.elf
read -r res fsec < <("$FATCAT" "$img" info | sed -n 's/.*fat_sectors=\([0-9]*\).*/\1/p' | { read -r f; echo "$(od -An -tu2 -j14 -N2 "$img" | tr -d ' ') $f"; })
dd if=/dev/zero of="$img" bs=512 seek="$res" count="$fsec" conv=notrunc status=none
out=$("$FATCAT" "$img" cat /boot/kernel.elf 2>"$T/err" | sha256sum | cut -c1-64)
expect_eq "FAT #1 zeroed: the kernel is read through FAT #2" "$out" "$(sha256sum < "$SRC/boot/kernel.elf" | cut -c1-64)"
expect_match "FAT #1 zeroed: the fallback is counted" "$(cat "$T/err")" "FAT entries read from a second FAT copy"
dd if=/dev/zero of="$img" bs=512 seek=$((res + fsec)) count="$fsec" conv=notrunc status=none
out=$("$FATCAT" "$img" cat /boot/kernel.elf 2>&1 >/dev/null); rc=$?
expect_match "both FATs zeroed: corrupt, named, no hang" "$out rc=$rc" "corrupt FAT volume: .* rc=1"

# Cluster sizes from 512 bytes to 32 KiB: runs, tails and chains at every scale.
if [ "${QUICK:-0}" != 1 ]; then
  for spc in 1 4 16 64; do
    img=$T/spc$spc.img
    rm -f "$img"
    # Enough sectors for FAT16 (over 4084 clusters) at this cluster size.
    if ! { mkfs.fat -C -F 16 -s "$spc" "$img" $(( (5000 * spc + 200) / 2 )) >/dev/null 2>&1 &&
           mcopy -i "$img" "$SRC/boot/kernel.elf" ::/kernel.elf &&
           mcopy -i "$img" "$SRC/small.txt" ::/small.txt &&
           mcopy -i "$img" "$SRC/A long file name with spaces.txt" "::/A long file name with spaces.txt"; }; then
      fail "FAT16 with $spc sectors per cluster: image built"
      continue
    fi
    bad=0
    for f in /boot/kernel.elf /small.txt "/A long file name with spaces.txt"; do
      "$FATCAT" "$img" cat "/${f##*/}" | cmp -s - "$SRC$f" || bad=$((bad + 1))
    done
    expect_eq "FAT16 with $spc sectors per cluster: files read back" "$bad" 0
    rm -f "$img"
  done
fi
finish

#!/usr/bin/env bash
# Static checks of the BIOS boot code: stage1.bin's shape (size, jmp short
# + nop, an empty BPB gap, the patch record), stage2.bin's header, and
# that mkimage patched stage1 in images/disk.img to point at stage2.
source "$(dirname "$0")/../lib.sh"
S1=$B/bios/stage1.bin
S2=$B/bios/stage2.bin

[ -f "$S1" ] && [ -f "$S2" ] || { fail "bios: stage1/stage2 built" "missing $S1 or $S2 (make $S1 $S2)"; finish; }

size=$(stat -c %s "$S1")
if [ "$size" -le 440 ]; then pass "stage1: $size bytes <= 440"; else fail "stage1: size" "$size bytes > 440"; fi

hex() { xxd -p -s "$2" -l "$3" "$1" | tr -d '\n'; }
b0=$(hex "$S1" 0 1); b2=$(hex "$S1" 2 1); disp=$((16#$(hex "$S1" 1 1)))
expect_eq "stage1: starts with jmp short" "$b0" eb
expect_eq "stage1: nop after the jmp" "$b2" 90
# the jump lands past the BPB gap (target = 2 + displacement, forward)
if [ "$disp" -lt 128 ] && [ $((2 + disp)) -ge 90 ]; then pass "stage1: jmp target $((2 + disp)) is past the BPB gap"
else fail "stage1: jmp target" "displacement $disp lands inside bytes 3..89"; fi
gap=$(hex "$S1" 3 87 | tr -d 0)
expect_eq "stage1: bytes 3..89 are all zero (no code or data in the BPB gap)" "$gap" ""
expect_eq "stage1: patch magic HYS1 at offset 424" "$(dd if="$S1" bs=1 skip=424 count=4 status=none)" HYS1

# code bytes: everything between the gap and the patch record up to the
# last non-zero byte (reported, and a budget check against the 424 limit)
code_end=$(python3 -c 'import sys; b=open(sys.argv[1],"rb").read()[:424]; print(len(b.rstrip(b"\0")))' "$S1")
echo "stage1: code and strings end at byte $code_end of 424 ($((code_end - 90)) bytes after the BPB gap)"
[ "$code_end" -le 424 ] && pass "stage1: code stays below the patch record"

s2size=$(stat -c %s "$S2")
expect_eq "stage2: HYSTAGE2 magic at offset 8" "$(dd if="$S2" bs=1 skip=8 count=8 status=none)" HYSTAGE2
hdr_size=$(python3 -c 'import struct,sys; print(struct.unpack_from("<I", open(sys.argv[1],"rb").read(), 16)[0])' "$S2")
expect_eq "stage2: header size field = file size" "$hdr_size" "$s2size"
max=$(( 0x70000 - 0x8000 ))
if [ "$s2size" -le "$max" ]; then pass "stage2: $s2size bytes <= STAGE2_MAX_SIZE ($max)"; else fail "stage2: size" "$s2size > $max"; fi

# In the built image: stage1's code is there, the record points at a
# copy of stage2.bin, and the sector count covers it.
if [ -f "$IMG" ]; then
  expect_eq "disk.img: LBA 0 holds stage1's code" "$(hex "$IMG" 0 424)" "$(hex "$S1" 0 424)"
  read -r magic secs lba < <(python3 -c 'import struct,sys
f=open(sys.argv[1],"rb"); f.seek(424); m,s,l=struct.unpack("<4sIQ", f.read(16)); print(m.decode("latin1"), s, l)' "$IMG")
  expect_eq "disk.img: patch magic" "$magic" HYS1
  expect_eq "disk.img: patched sector count covers stage2" "$secs" $(( (s2size + 511) / 512 ))
  if cmp -s -n "$s2size" <(dd if="$IMG" bs=512 skip="$lba" count="$secs" status=none) "$S2"; then
    pass "disk.img: stage2 at patched LBA $lba"
  else
    fail "disk.img: stage2 at patched LBA $lba" "bytes differ from $S2"
  fi
  if command -v sgdisk >/dev/null; then
    bbp=$(sgdisk -p "$IMG" 2>/dev/null | awk '$6 == "EF02" { print $2 }')
    expect_eq "disk.img: patched LBA is the BIOS boot partition's first LBA" "$lba" "$bbp"
  fi
else
  fail "disk.img present" "$IMG missing (make disk.img)"
fi
finish

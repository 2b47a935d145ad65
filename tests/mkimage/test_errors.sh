#!/usr/bin/env bash
# mkimage refuses bad inputs: for each, the exit status, the message
# ("mkimage: error: <input>: <reason>"), no output file created, no
# temporary file left, and a pre-existing output byte-identical afterwards.
# QUICK=1 runs the most important cases only.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/inputs.sh"

[ -x "$MKIMAGE" ] || { fail "mkimage built" "$MKIMAGE missing"; finish; }
make_inputs || { fail "test inputs" "could not build them"; finish; }
OUTDIR=$T/out
mkdir -p "$OUTDIR"
OUT=$OUTDIR/disk.img
head -c 8192 /dev/urandom > "$T/previous.img"

# refuses NAME STATUS REGEX ARGS...: runs mkimage twice (no output yet,
# then over an existing output) and checks everything above.
refuses() {
  local name=$1 want=$2 re=$3; shift 3
  local rc err
  rm -rf "$OUTDIR"; mkdir -p "$OUTDIR"
  err=$("$MKIMAGE" "$@" 2>&1 >/dev/null); rc=$?
  local why=""
  [ "$rc" -eq "$want" ] || why="exit status $rc, want $want"
  [ -z "$why" ] && ! printf '%s\n' "$err" | grep -Eq -- "^mkimage: error: .*$re" && why="message '$err' does not match /$re/"
  [ -z "$why" ] && [ -n "$(ls -A "$OUTDIR")" ] && why="left files: $(ls -A "$OUTDIR" | tr '\n' ' ')"
  if [ -z "$why" ]; then
    cp "$T/previous.img" "$OUT"
    "$MKIMAGE" "$@" >/dev/null 2>&1; rc=$?
    [ "$rc" -eq "$want" ] || why="second run: exit status $rc"
    [ -z "$why" ] && ! cmp -s "$OUT" "$T/previous.img" && why="existing output changed"
    [ -z "$why" ] && [ "$(ls -A "$OUTDIR")" != "disk.img" ] && why="left files: $(ls -A "$OUTDIR" | tr '\n' ' ')"
  fi
  if [ -z "$why" ]; then pass "mkimage refuses: $name"; else fail "mkimage refuses: $name" "$why"; fi
}

# The good case first: the same inputs do make an image.
rm -f "$OUT"
check "mkimage: test inputs make an image" "$MKIMAGE" -o "$OUT" "${INPUTS[@]}"

refuses "missing input" 1 "nope\.elf: cannot open: No such file" \
  -o "$OUT" --kernel "$T/nope.elf" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$STAGE2"
refuses "non-ELF kernel" 1 "kernel: not an ELF file" \
  -o "$OUT" --kernel "$STAGE2" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$STAGE2"
refuses "size too small (says the minimum)" 1 "too small.*smallest that fits is [0-9]+M" \
  -o "$OUT" "${INPUTS[@]}" --size 1M
# Output on a full filesystem: a file-size limit makes every write past
# 1000 KiB fail (EFBIG) the way a full disk does (ENOSPC).
cp "$T/previous.img" "$T/prev-copy.img"
refuses_full() {
  rm -rf "$OUTDIR"; mkdir -p "$OUTDIR"; cp "$T/previous.img" "$OUT"
  local err rc
  err=$( (ulimit -f 1000; "$MKIMAGE" -o "$OUT" "${INPUTS[@]}") 2>&1 ); rc=$?
  if [ "$rc" -eq 1 ] && printf '%s\n' "$err" | grep -Eq "^mkimage: error: .*disk.img: .*(File too large|No space)" &&
     cmp -s "$OUT" "$T/previous.img" && [ "$(ls -A "$OUTDIR")" = "disk.img" ]; then
    pass "mkimage refuses: output on a full filesystem (ulimit -f), old output kept, temp removed"
  else
    fail "mkimage refuses: output on a full filesystem" "rc=$rc err='$err' files=$(ls -A "$OUTDIR" | tr '\n' ' ')"
  fi
}
refuses_full

if [ "${QUICK:-0}" != 1 ]; then
  refuses "directory as input" 1 "is a directory" \
    -o "$OUT" --kernel "$T" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$STAGE2"
  # A real 32-bit ELF when binutils can make one, else a patched class byte.
  if printf '.globl _start\n_start: hlt\n' > "$T/k32.s" && as --32 "$T/k32.s" -o "$T/k32.o" 2>/dev/null &&
     ld -m elf_i386 -Ttext=0x100000 "$T/k32.o" -o "$T/k32.elf" 2>/dev/null; then :; else
    cp "$KERNEL" "$T/k32.elf"; printf '\x01' | dd of="$T/k32.elf" bs=1 seek=4 conv=notrunc status=none
  fi
  refuses "32-bit ELF kernel" 1 "kernel: not a 64-bit ELF" \
    -o "$OUT" --kernel "$T/k32.elf" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$STAGE2"
  # Overlapping segments: the second PT_LOAD moved onto the first.
  python3 - "$KERNEL" "$T/overlap.elf" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from("<Q", d, 32); phnum, = struct.unpack_from("<H", d, 56)
loads = [phoff + 56 * i for i in range(phnum) if struct.unpack_from("<I", d, phoff + 56 * i)[0] == 1]
if len(loads) < 2:   # make a second PT_LOAD from a spare header
    spare = [phoff + 56 * i for i in range(phnum) if phoff + 56 * i not in loads][0]
    d[spare:spare + 56] = d[loads[0]:loads[0] + 56]; loads.append(spare)
a, b = loads[0], loads[1]
va, = struct.unpack_from("<Q", d, a + 16)
struct.pack_into("<QQ", d, b + 16, va + 16, va + 16)    # p_vaddr, p_paddr inside the first
open(sys.argv[2], "wb").write(d)
PY
  refuses "ELF with overlapping segments" 1 "kernel: segments overlap" \
    -o "$OUT" --kernel "$T/overlap.elf" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$STAGE2"
  { cat "$STAGE1"; head -c 60 /dev/zero; } > "$T/stage1-500.bin"
  refuses "stage1 of 500 bytes" 1 "stage1: 500 bytes, more than the 440" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI" --stage1 "$T/stage1-500.bin" --stage2 "$STAGE2"
  head -c 424 /dev/zero > "$T/stage1-nomagic.bin"; head -c 16 /dev/zero >> "$T/stage1-nomagic.bin"
  refuses "stage1 without its HYS1 record" 1 "stage1: no \"HYS1\" record" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI" --stage1 "$T/stage1-nomagic.bin" --stage2 "$STAGE2"
  { cat "$STAGE2"; head -c 500000 /dev/zero; } > "$T/stage2-big.bin"
  refuses "stage2 too large" 1 "stage2: [0-9]+ bytes, more than the [0-9]+ bytes" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$T/stage2-big.bin"
  # stage2_sized SIZE OUT: the test stage2 with another size in its header.
  stage2_sized() { { head -c 16 "$STAGE2"; python3 -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<Q', $1))"; tail -c +25 "$STAGE2"; } > "$2"; }
  stage2_sized 65536 "$T/stage2-size.bin"
  refuses "stage2 whose header claims more than the file" 1 "stage2: its header says 65536 bytes, but only 4024 are there" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$T/stage2-size.bin"
  refuses "stage2 without its header" 1 "stage2: no \"HYSTAGE2\" magic" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$KERNEL"
  refuses "EFI loader that is not PE" 1 "EFI loader: not a PE" \
    -o "$OUT" --kernel "$KERNEL" --efi "$STAGE2" --stage1 "$STAGE1" --stage2 "$STAGE2"
  # BOOTX64.EFI and BOOTIA32.EFI each for its own firmware (common/pe.c)
  refuses "--efi32 given an x86-64 loader" 1 "32-bit EFI loader: not an i386 EFI executable" \
    -o "$OUT" "${INPUTS[@]}" --efi32 "$EFI"
  refuses "--efi given an i386 loader" 1 "EFI loader: not an x86-64 EFI executable" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI32" --stage1 "$STAGE1" --stage2 "$STAGE2"
  python3 "$TOP/tests/image/helpers.py" fakepe32 "$T/pe32.efi" && printf '\x0b\x02' |
    dd of="$T/pe32.efi" bs=1 seek=$((0x84 + 20)) conv=notrunc status=none      # i386 with a PE32+ header
  refuses "--efi32: i386 machine but a PE32+ header" 1 "32-bit EFI loader: not PE32 \(optional header magic" \
    -o "$OUT" "${INPUTS[@]}" --efi32 "$T/pe32.efi"
  # 4Kn images (--sector-size 4096)
  refuses "--sector-size 1024" 2 "--sector-size 1024: expected 512 or 4096" -o "$OUT" "${INPUTS[@]}" --sector-size 1024
  refuses "size not a multiple of the 4096-byte sector" 2 "--size 1049088: not a multiple of 4096 bytes" \
    -o "$OUT" "${INPUTS[@]}" --sector-size 4096 --size 1049088
  refuses "4Kn image too small (says the minimum)" 1 "too small.*smallest that fits is [0-9]+M" \
    -o "$OUT" "${INPUTS[@]}" --sector-size 4096 --size 1M
  # stage1 steps its buffer 512 bytes per sector: on 4Kn stage2 must be one read (64 sectors)
  python3 -c "import struct,sys; b=bytearray(300000); b[0:24]=b'\xe9'+bytes(7)+b'HYSTAGE2'+struct.pack('<II',300000,0); sys.stdout.buffer.write(b)" > "$T/stage2-300k.bin"
  check "mkimage: a 300000-byte stage2 is fine on a 512-byte image" \
    "$MKIMAGE" -o "$T/s300.img" --kernel "$KERNEL" --stage1 "$STAGE1" --stage2 "$T/stage2-300k.bin"
  rm -f "$T/s300.img"
  refuses "stage2 of more than 64 sectors on a 4Kn image" 1 "stage2: 300000 bytes: on a 4096-byte-sector image stage1 loads at most 64 sectors" \
    -o "$OUT" --kernel "$KERNEL" --stage1 "$STAGE1" --stage2 "$T/stage2-300k.bin" --sector-size 4096
  refuses "unparseable size" 2 "--size 12Q: not a size" -o "$OUT" "${INPUTS[@]}" --size 12Q
  refuses "size not a multiple of 512" 2 "--size 1000000: not a multiple of 512" -o "$OUT" "${INPUTS[@]}" --size 1000000
  refuses "--fat 12 on a 600M image" 1 "--fat 12: FAT12 allows at most 4084 clusters" \
    -o "$OUT" "${INPUTS[@]}" --size 600M --fat 12
  refuses "--fat 32 on an 8M image" 1 "--fat 32: FAT32 needs at least 65525 clusters.*an image of at least [0-9]+M allows it" \
    -o "$OUT" "${INPUTS[@]}" --size 8M --fat 32
  refuses "--fat 13" 2 "--fat 13: expected 12, 16, 32 or auto" -o "$OUT" "${INPUTS[@]}" --fat 13
  refuses "--mbr nonsense" 2 "--mbr gpt-ish: expected hybrid" -o "$OUT" "${INPUTS[@]}" --mbr gpt-ish
  refuses "stage1 without stage2" 2 "needs both --stage1 and --stage2" \
    -o "$OUT" --kernel "$KERNEL" --stage1 "$STAGE1"
  refuses "nothing to boot" 2 "nothing would boot" -o "$OUT" --kernel "$KERNEL"
  refuses "no kernel" 2 "no kernel given" -o "$OUT" --efi "$EFI"
  refuses "unknown option" 2 "--frobnicate: unknown option" -o "$OUT" "${INPUTS[@]}" --frobnicate
  refuses "label too long" 2 "--label ABCDEFGHIJKL: a volume label has at most 11" -o "$OUT" "${INPUTS[@]}" --label ABCDEFGHIJKL
  refuses "extra file onto the kernel's path" 1 "a file of that name already exists" \
    -o "$OUT" "${INPUTS[@]}" --file "$STAGE2=/boot/KERNEL.ELF"
  refuses "extra file with a bad name" 1 "character not allowed in FAT names" \
    -o "$OUT" "${INPUTS[@]}" --file "$STAGE2=/docs/what?.txt"
  SOURCE_DATE_EPOCH=yesterday refuses "bad SOURCE_DATE_EPOCH" 2 "SOURCE_DATE_EPOCH: \"yesterday\" is not a number" \
    -o "$OUT" "${INPUTS[@]}"
  err=$("$MKIMAGE" -o "$STAGE2" "${INPUTS[@]}" 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && printf '%s' "$err" | grep -q "is also an input" && head -c 24 "$STAGE2" | grep -q HYSTAGE2; then
    pass "mkimage refuses: output that is one of the inputs"
  else fail "mkimage refuses: output that is one of the inputs" "rc=$rc err=$err"; fi
  printf 'kernel = k\nbogus = 1\n' > "$T/bad.conf"
  refuses "recipe with an unknown key" 2 "bad.conf:2: unknown key \"bogus\"" -c "$T/bad.conf" -o "$OUT"
  refuses "missing recipe" 1 "nope.conf: cannot open recipe" -c "$T/nope.conf" -o "$OUT"

  # Output that does not exist as a folder, or is not a file.
  err=$("$MKIMAGE" -o "$T/no/such/dir/disk.img" "${INPUTS[@]}" 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && printf '%s' "$err" | grep -q "^mkimage: error: $T/no/such/dir/disk.img: folder .* does not exist" &&
     [ ! -e "$T/no" ]; then pass "mkimage refuses: output in a non-existent folder"
  else fail "mkimage refuses: output in a non-existent folder" "rc=$rc err=$err"; fi
  err=$("$MKIMAGE" -o "$T" "${INPUTS[@]}" 2>&1); rc=$?
  expect_eq "mkimage refuses: output that is a directory (status)" "$rc" 1
  expect_match "mkimage refuses: output that is a directory (message)" "$err" "is a directory"
  dev=$(find /dev -maxdepth 1 -type b 2>/dev/null | head -n 1)
  if [ -n "$dev" ]; then
    # Only stat()ed: the refusal comes before any open.
    err=$("$MKIMAGE" -o "$dev" "${INPUTS[@]}" 2>&1); rc=$?
    if [ "$rc" -eq 1 ] && printf '%s' "$err" | grep -q "is a block device: writing to a device needs --force-device"; then
      pass "mkimage refuses: a block device without --force-device"
    else fail "mkimage refuses: a block device without --force-device" "rc=$rc err=$err"; fi
  fi

  # ---- one test per rule a loader or --inspect applies (common/ code) ----
  # refuses_std NAME STATUS REGEX ARGS...: the standard inputs plus ARGS.
  refuses_std() { refuses "$1" "$2" "$3" -o "$OUT" "${INPUTS[@]}" "${@:4}"; }
  # EFI loader: common/pe.c, the check --inspect makes.
  # refuses_efi NAME REGEX FILE: the standard inputs with FILE as --efi.
  refuses_efi() { refuses "$1" 1 "$2" -o "$OUT" --kernel "$KERNEL" --efi "$3" --stage1 "$STAGE1" --stage2 "$STAGE2"; }
  if objcopy --subsystem=11 "$EFI" "$T/driver.efi" 2>/dev/null; then
    refuses "EFI loader of subsystem 11 (boot service driver)" 1 "driver.efi: EFI loader: subsystem is not EFI application" \
      -o "$OUT" --kernel "$KERNEL" --efi "$T/driver.efi" --stage1 "$STAGE1" --stage2 "$STAGE2"
  fi
  python3 - "$EFI" "$T/i386.efi" "$T/pe32.efi" "$T/noentry.efi" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read()); pe = struct.unpack_from("<I", d, 0x3c)[0]
a = bytearray(d); struct.pack_into("<H", a, pe + 4, 0x14c); open(sys.argv[2], "wb").write(a)
b = bytearray(d); struct.pack_into("<H", b, pe + 24, 0x10b); open(sys.argv[3], "wb").write(b)
c = bytearray(d); struct.pack_into("<I", c, pe + 24 + 16, 0); open(sys.argv[4], "wb").write(c)
PY
  refuses_efi "EFI loader for i386" "i386.efi: EFI loader: not an x86-64 EFI executable" "$T/i386.efi"
  refuses_efi "EFI loader with a PE32 (not PE32+) header" "pe32.efi: EFI loader: not PE32\+" "$T/pe32.efi"
  refuses_efi "EFI loader without an entry point" "noentry.efi: EFI loader: no entry point" "$T/noentry.efi"
  head -c 2000 "$EFI" > "$T/cut.efi"
  refuses_efi "EFI loader cut short (sections beyond the file)" "cut.efi: EFI loader: .*beyond the end of the file" "$T/cut.efi"
  # stage2: common/stage_check.c, as --inspect checks an installed one.
  stage2_sized 0 "$T/stage2-zero.bin"
  refuses "stage2 whose header says 0 bytes" 1 "stage2-zero.bin: stage2: its header says 0 bytes" \
    -o "$OUT" --kernel "$KERNEL" --efi "$EFI" --stage1 "$STAGE1" --stage2 "$T/stage2-zero.bin"
  # boot.cfg values: common/bootcfg.c's rules, blamed on the option.
  refuses_std "--resolution with 400 leading spaces (was a heap over-read)" 2 "--resolution: expected WIDTHxHEIGHT" --resolution "$(printf '%400s' '')1024x768"
  refuses_std "--resolution 0x768" 2 "--resolution 0x768: expected WIDTHxHEIGHT" --resolution 0x768
  refuses_std "--resolution 70000x10" 2 "--resolution 70000x10: expected WIDTHxHEIGHT" --resolution 70000x10
  refuses_std "--cmdline with an escape sequence" 2 "--cmdline: a command line cannot hold control characters" --cmdline $'quiet\e[2J\e]0;owned\a'
  refuses_std "--cmdline with trailing spaces (boot.cfg would trim them)" 1 "--cmdline quiet  : boot.cfg trims spaces" --cmdline "quiet  "
  refuses_std "--cmdline of 1024 bytes" 2 "--cmdline: longer than 1023 bytes" --cmdline "$(head -c 1024 /dev/zero | tr '\0' x)"
  { echo "kernel = $KERNEL"; echo "efi = $EFI"; echo "cmdline = $(head -c 1500 /dev/zero | tr '\0' y)"; } > "$T/longcmd.conf"
  refuses "recipe cmdline over 1023 bytes: the recipe line is named" 2 "longcmd.conf:3: cmdline: longer than 1023 bytes" \
    -c "$T/longcmd.conf" -o "$OUT"
  { echo "kernel = $KERNEL"; echo "efi = $EFI"; echo "resolution = big"; } > "$T/res.conf"
  refuses "recipe resolution: the recipe line is named, not boot.cfg" 2 "res.conf:3: resolution: expected WIDTHxHEIGHT" \
    -c "$T/res.conf" -o "$OUT"
  # Sizes.
  refuses_std "--size 16777215T" 2 "--size 16777215T: larger than the 8 EiB" --size 16777215T
  truncate -s 4608M "$T/huge.bin"
  t0=$(date +%s)
  refuses_std "a 4.5 GiB (sparse) --file, before reading it" 1 "huge.bin: 4.50 GiB: a file of 4 GiB or more" --file "$T/huge.bin=/huge.bin"
  expect_match "a 4.5 GiB --file is refused at once ($(( $(date +%s) - t0 )) s for both runs)" "$(( $(date +%s) - t0 ))" "^[0-4]$"
  rm -f "$T/huge.bin"
  # FAT's directory limits: a FAT16 root of more than 65520 entries, any folder of more than 65536.
  : > "$T/empty"
  python3 - "$T" "$KERNEL" "$EFI" <<'PY'
import sys
t, k, e = sys.argv[1:4]
# 3120 names of 21 entries each, plus the label, EFI and boot: 65524
# entries, within FAT's 65536 per folder but past FAT16's 65520-entry root.
for name, prefix, n in (("root16.conf", "/", 3120), ("folder32.conf", "/d/", 3200)):
    with open(f"{t}/{name}", "w") as f:
        f.write(f"kernel = {k}\nefi = {e}\n")
        for i in range(n):
            f.write(f"file = empty={prefix}{i:05d}{'x' * 245}\n")
PY
  refuses "FAT16 root over 65520 entries (3200 long names)" 1 "--fat 16: FAT16's root folder holds at most 65520 entries" \
    -c "$T/root16.conf" -o "$OUT" --fat 16 --size 256M
  refuses "a folder over 65536 entries (FAT32)" 1 "more than the 65536 entries FAT allows in one folder" \
    -c "$T/folder32.conf" -o "$OUT" --fat 32 --size 256M
  # The recipe is an input too.
  { echo "output = r.conf"; echo "kernel = $KERNEL"; echo "efi = $EFI"; } > "$OUTDIR/../r.conf"
  err=$(cd "$OUTDIR/.." && "$MKIMAGE" -c r.conf 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && printf '%s' "$err" | grep -q "r.conf: is also an input (.*r.conf)" && head -1 "$OUTDIR/../r.conf" | grep -q "^output"; then
    pass "mkimage refuses: output = the recipe itself (recipe kept)"
  else fail "mkimage refuses: output = the recipe itself" "rc=$rc err=$err"; fi
  err=$("$MKIMAGE" -c "$OUTDIR/../r.conf" -o "$OUTDIR/../r.conf" 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && head -1 "$OUTDIR/../r.conf" | grep -q "^output"; then pass "mkimage refuses: -c r.conf -o r.conf"
  else fail "mkimage refuses: -c r.conf -o r.conf" "rc=$rc err=$err"; fi
  # FIFOs as inputs are refused at once, not waited on.
  mkfifo "$T/fifo"
  refuses "a FIFO as --kernel" 1 "fifo: is a FIFO, not a regular file" -o "$OUT" --kernel "$T/fifo" --efi "$EFI"
  refuses "a FIFO as --efi" 1 "fifo: is a FIFO" -o "$OUT" --kernel "$KERNEL" --efi "$T/fifo"
  refuses_std "a FIFO as --file" 1 "fifo: is a FIFO" --file "$T/fifo=/x"
  refuses_std "a FIFO as --module" 1 "fifo: is a FIFO" --module "$T/fifo"
  refuses "a FIFO as -c" 1 "fifo: recipe is not a regular file" -c "$T/fifo" -o "$OUT"
  # Recipe text: a NUL in a value, two files for one destination.
  printf 'kernel = %s\nefi = %s\ncmdline = quiet\0evil\n' "$KERNEL" "$EFI" > "$T/nul.conf"
  refuses "a NUL byte in a recipe value" 2 "nul.conf:3: a NUL byte in the line" -c "$T/nul.conf" -o "$OUT"
  refuses_std "two --file options for one DEST" 2 "command line: file: destination /X.TXT given twice \(also /x.txt" --file "$STAGE1=/x.txt" --file "$STAGE2=/X.TXT"
  printf 'kernel = %s\nefi = %s\nfile = %s=/d/a.txt\nfile = %s=/D//A.TXT\n' "$KERNEL" "$EFI" "$STAGE1" "$STAGE2" > "$T/dup.conf"
  refuses "two recipe files for one DEST (any case)" 2 "dup.conf:4: file: destination /D//A.TXT given twice" -c "$T/dup.conf" -o "$OUT"
  refuses_std "--file names differing only in case, one order" 2 "destination /X/FOO.TXT given twice" --file "$STAGE1=/x/Foo.txt" --file "$STAGE2=/X/FOO.TXT"
  refuses_std "--file names differing only in case, other order" 2 "destination /x/Foo.txt given twice" --file "$STAGE2=/X/FOO.TXT" --file "$STAGE1=/x/Foo.txt"
  refuses_std "--file onto the kernel's path in another case" 1 "a file of that name already exists" --file "$STAGE2=/BOOT/Kernel.Elf"
  # Modules.
  refuses_std "a missing --module" 1 "nope.img: cannot open" --module "$T/nope.img"
  cp "$STAGE1" "$T/kernel.elf.mod"; cp "$STAGE1" "$T/KERNEL.ELF"
  refuses_std "a module named like the kernel" 1 "module .*KERNEL.ELF: /boot/KERNEL.ELF on the ESP is already the kernel" --module "$T/KERNEL.ELF"
  mkdir -p "$T/m2"; cp "$STAGE1" "$T/m2/initrd"; cp "$STAGE2" "$T/initrd"
  refuses_std "two modules with one name" 1 "module .*m2/initrd: /boot/initrd on the ESP is already .*/initrd" --module "$T/initrd" --module "$T/m2/initrd"
  refuses_std "a module and a --file on one path" 1 "module .*initrd: /boot/initrd on the ESP is already" --module "$T/initrd" --file "$STAGE1=/boot/INITRD"
  refuses_std "a module string with a control character" 2 "module .*initrd: its string cannot hold control characters" --module "$T/initrd=a$(printf '\t')b"
  refuses_std "a module string of 256 bytes" 2 "module .*initrd: its string is longer than 255 bytes" --module "$T/initrd=$(head -c 256 /dev/zero | tr '\0' s)"

  # The minimum the size error names really is the minimum (in MiB).
  head -c 5000000 /dev/urandom > "$T/big.bin"
  err=$("$MKIMAGE" -o "$OUT" "${INPUTS[@]}" --file "$T/big.bin=/big.bin" --size 3M 2>&1)
  min=$(printf '%s' "$err" | sed -n 's/.*smallest that fits is \([0-9]*\)M.*/\1/p')
  if [ -n "$min" ] && "$MKIMAGE" -o "$OUT" "${INPUTS[@]}" --file "$T/big.bin=/big.bin" --size "${min}M" 2>/dev/null &&
     ! "$MKIMAGE" -o "$OUT" "${INPUTS[@]}" --file "$T/big.bin=/big.bin" --size "$((min - 1))M" 2>/dev/null; then
    pass "mkimage: the minimum size it names fits, one MiB less does not ($min M)"
  else
    fail "mkimage: the minimum size it names fits, one MiB less does not" "min='$min' err=$err"
  fi
fi
finish

#!/usr/bin/env bash
# The kernel ELF is what the protocol and the loaders need: ELF64 x86-64
# EXEC, entry in the top 2 GiB, no SSE/MMX/x87 use; the padded and alt
# variants differ only as documented; boot_info.h's layout asserts hold
# for both -m32 (stage2) and -m64 (UEFI loader, kernel).
source "$(dirname "$0")/../lib.sh"
K=$B/kernel

check_kernel() { # check_kernel FILE LABEL
  local f=$1 l=$2 hdr entry
  if [ ! -f "$f" ]; then fail "$l exists" "$f missing (make $f)"; return; fi
  hdr=$(readelf -h -l "$f" 2>&1)
  expect_match "$l: ELF64" "$hdr" 'Class:[[:space:]]+ELF64'
  expect_match "$l: x86-64" "$hdr" 'Machine:[[:space:]]+Advanced Micro Devices X86-64'
  expect_match "$l: EXEC" "$hdr" 'Type:[[:space:]]+EXEC'
  entry=$(printf '%s\n' "$hdr" | sed -n 's/.*Entry point address:[[:space:]]*0x\([0-9a-f]*\).*/\1/p')
  if [ -n "$entry" ] && [ "$(printf '%016x' "0x$entry")" \> "ffffffff7fffffff" ]; then
    pass "$l: entry 0x$entry in the top 2 GiB"
  else fail "$l: entry in the top 2 GiB" "entry 0x$entry"; fi
  # every PT_LOAD in the top 2 GiB, and no PT_INTERP/PT_DYNAMIC
  local bad
  bad=$(readelf -lW "$f" | awk '$1=="LOAD" && $3 !~ /^0xffffffff[89a-f]/ {print $3}')
  expect_eq "$l: all PT_LOAD segments in the top 2 GiB" "$bad" ""
  expect_eq "$l: static (no INTERP/DYNAMIC)" "$(readelf -lW "$f" | grep -cE '^[[:space:]]*(INTERP|DYNAMIC)')" 0
  # no SSE/AVX/MMX registers and no x87 instructions anywhere in the code
  local simd
  # (column 3 of objdump's tab-separated lines is the instruction)
  simd=$(objdump -d "$f" | awk -F'\t' 'NF >= 3 {print $3}' |
         grep -E '%(x|y|z)mm[0-9]|%mm[0-9]|%st(\(|$|,)|^f[a-z]+|^(fx|x)(save|rstor)' | head -3)
  expect_eq "$l: no xmm/ymm/mm/x87 use in objdump -d" "$simd" ""
}

check_kernel "$K/kernel.elf" "kernel.elf"
if [ "${QUICK:-0}" != 1 ]; then
  check_kernel "$K/kernel-alt.elf" "kernel-alt.elf"
  check_kernel "$K/kernel-pad16.elf" "kernel-pad16.elf"

  # the alt variant carries its marker line, the plain kernel does not
  variant_name() { readelf -p .rodata "$1" | grep -Eq '\][[:space:]]+alt$'; }
  if variant_name "$K/kernel-alt.elf" && ! variant_name "$K/kernel.elf"; then
    pass "kernel-alt.elf (only) carries the variant name"
  else fail "kernel-alt.elf (only) carries the variant name"; fi
  sz=$(stat -c %s "$K/kernel-pad16.elf" 2>/dev/null || echo 0)
  if [ "$sz" -ge $((16 << 20)) ]; then pass "kernel-pad16.elf carries 16 MiB ($sz bytes)"
  else fail "kernel-pad16.elf carries 16 MiB" "$sz bytes"; fi
  # the pad is initialised data, not bss: the RW segment's file size covers it
  filesz=$(readelf -lW "$K/kernel-pad16.elf" | awk '$1=="LOAD" && $7 ~ /RW/ {print $5}')
  if [ -n "$filesz" ] && [ $((filesz)) -ge $((16 << 20)) ]; then pass "kernel-pad16.elf pad is file-backed ($filesz)"
  else fail "kernel-pad16.elf pad is file-backed" "RW filesz '$filesz'"; fi
  # the pad (from kernel_pad_start) is not zeros or a short repeating pattern
  objcopy -O binary --only-section=.data "$K/kernel-pad16.elf" "$T/data.bin"
  data_vma=$(readelf -SW "$K/kernel-pad16.elf" | sed -n 's/.* \.data  *PROGBITS  *\([0-9a-f]*\) .*/\1/p')
  pad_sym=$(nm "$K/kernel-pad16.elf" | awk '$3=="kernel_pad_start" {print $1}')
  verdict=$(python3 - "$T/data.bin" "$((0x$pad_sym - 0x$data_vma))" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()[int(sys.argv[2]):]
chunks = {d[i:i + 16] for i in range(0, 65536, 16)}
print("ok" if len(d) >= 16 << 20 and len(chunks) == 4096 else "bad: %d bytes, %d distinct chunks of 4096" % (len(d), len(chunks)))
PY
)
  expect_eq "kernel-pad16.elf pad looks pseudo-random" "$verdict" "ok"
fi

# boot_info.h layout: the static asserts must hold in both ABIs
cat > "$T/bi.c" <<'C'
#include "boot_info.h"
_Static_assert(sizeof(struct boot_info) == BOOT_INFO_SIZE, "size");
_Static_assert(__builtin_offsetof(struct boot_info, timing.tsc_kernel_jump) == 224 + 32, "timing");
int boot_info_size = sizeof(struct boot_info);
C
for m in 32 64; do
  check "boot_info.h static asserts hold with -m$m" \
    gcc -m$m -std=gnu11 -Wall -Wextra -Werror -ffreestanding -nostdinc \
        -isystem "$(gcc -print-file-name=include)" -I"$TOP/common" -c "$T/bi.c" -o "$T/bi$m.o"
done
# and a deliberately wrong layout is caught (the asserts are live)
sed 's/uint32_t reserved1; /uint64_t reserved1; /' "$TOP/common/boot_info.h" > "$T/boot_info.h"
check_fails "boot_info.h asserts catch a changed layout" \
  gcc -m32 -std=gnu11 -ffreestanding -nostdinc -isystem "$(gcc -print-file-name=include)" \
      -I"$T" -c "$T/bi.c" -o "$T/bad.o"
finish

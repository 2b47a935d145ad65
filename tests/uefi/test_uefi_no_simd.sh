#!/usr/bin/env bash
# Every UEFI loader built (build/uefi/*.EFI, the test builds in
# build/uefi/test/ and BOOTIA32.EFI in build/uefi32/) is free of SSE/AVX/MMX/x87 code: firmware need not have
# enabled them (U-Boot leaves CR4.OSFXSR clear, so the first xmm
# instruction is a #UD). Built with -mgeneral-regs-only and linked without
# gnu-efi's libefi (uefi/build.mk). The rule is the kernel's
# (tests/kernel/test_kernel_elf.sh), and it is shown to catch SSE code.
source "$(dirname "$0")/../lib.sh"
cd "$TOP"
OBJDUMP=${OBJDUMP:-objdump}

# simd FILE: the first few SIMD/x87 instructions objdump finds, one a line
simd() {
  # (column 3 of objdump's tab-separated lines is the instruction)
  "$OBJDUMP" -d "$1" | awk -F'\t' 'NF >= 3 {print $3}' |
    grep -E '%(x|y|z)mm[0-9]|%mm[0-9]|%st(\(|$|,)|^f[a-z]+|^(fx|x)(save|rstor)|^(ld|st)mxcsr|^emms' | head -3
}

efis=()
for f in "$B"/uefi/*.EFI "$B"/uefi/test/*.EFI "$B"/uefi32/*.EFI; do [ -f "$f" ] && efis+=("$f"); done
[ ${#efis[@]} -gt 0 ] || { fail "uefi/no-simd: loaders built" "no $B/uefi/*.EFI (make disk.img)"; finish; }
for f in "${efis[@]}"; do
  n=$("$OBJDUMP" -d "$f" 2>/dev/null | grep -c '^ *[0-9a-f]*:')
  if [ "$n" -lt 1000 ]; then fail "uefi/no-simd: ${f#"$B"/}" "objdump -d shows only $n instructions"; continue; fi
  expect_eq "uefi/no-simd: ${f#"$B"/}: no xmm/ymm/mm/x87 use in $n instructions" "$(simd "$f")" ""
done

# The check itself: a function the compiler vectorises must be caught.
printf 'void f(float *a, const float *b) { for (int i = 0; i < 64; i++) a[i] += b[i]; }\n' > "$T/v.c"
if gcc -O3 -c "$T/v.c" -o "$T/v.o" 2>/dev/null; then
  [ -n "$(simd "$T/v.o")" ] && pass "uefi/no-simd: the check finds SSE code in a vectorised function" ||
    fail "uefi/no-simd: the check finds SSE code in a vectorised function" "nothing found"
  gcc -O3 -mgeneral-regs-only -c "$T/v.c" -o "$T/v.o" 2>/dev/null
  expect_eq "uefi/no-simd: a float loop fails to build with -mgeneral-regs-only (no silent SSE)" "$?" 1
else
  fail "uefi/no-simd: compile the self-check" "gcc -O3 failed"
fi
finish

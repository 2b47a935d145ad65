#!/usr/bin/env bash
# Refuses an EFI loader that firmware would not run as we intend:
#   [EFI_ARCH=ia32] uefi/check-efi.sh FILE.EFI [FILE.so]
# - objdump must read FILE.EFI as pe-x86-64 with a PE32+ optional header
#   (magic 020b) — or, with EFI_ARCH=ia32, as pe-i386 with a PE32 header
#   (magic 010b) — and subsystem 0xa (EFI application);
# - the image must have a relocation directory (.reloc) so firmware may
#   load it anywhere, and an entry point;
# - with the ELF .so given: every dynamic relocation must be
#   R_X86_64_RELATIVE / R_386_RELATIVE (the only kind gnu-efi's _relocate applies) and no
#   symbol may be left undefined.
# Prints one reason and exits 1 on the first problem.
set -u
efi=$1 so=${2:-}
OBJDUMP=${OBJDUMP:-objdump}
die() { echo "check-efi: $efi: $*" >&2; exit 1; }

[ -s "$efi" ] || die "missing or empty"
hdr=$($OBJDUMP -p "$efi" 2>&1) || die "objdump cannot read it: $hdr"
if [ "${EFI_ARCH:-x64}" = ia32 ]; then
  fmt=i386 magic=010b rel=R_386_RELATIVE
else
  fmt=x86-64 magic=020b rel=R_X86_64_RELATIVE
fi
grep -Eq "file format pei?-$fmt" <<<"$hdr" || die "not pe-$fmt (objdump format pei-$fmt)"
grep -Eq "^Magic[[:space:]]+$magic" <<<"$hdr" || die "not the right PE header (optional header magic is not $magic)"
grep -Eq '^Subsystem[[:space:]]+0000000a' <<<"$hdr" || die "subsystem is not 0xa (EFI application)"
grep -Eq '^AddressOfEntryPoint[[:space:]]+0*[1-9a-f]' <<<"$hdr" || die "no entry point"
grep -Eq 'Entry 5 [0-9a-f]+ [0-9a-f]*[1-9a-f][0-9a-f]* Base Relocation Directory' <<<"$hdr" \
  || die "no base relocation directory"
grep -q '^ *[0-9]* \.text ' <<<"$($OBJDUMP -h "$efi" 2>/dev/null)" || die "no .text section"
# objdump -p reads only headers: every section's raw data must be in the file.
need=0
while read -r _ _ size _ _ off _; do
  end=$(( 0x$size + 0x$off ))
  [ "$end" -gt "$need" ] && need=$end
done < <($OBJDUMP -h "$efi" 2>/dev/null | grep -E '^ *[0-9]+ ')
have=$(stat -c %s "$efi")
[ "$have" -ge "$need" ] || die "truncated: sections need $need bytes, the file has $have"

if [ -n "$so" ]; then
  READELF=${READELF:-${OBJDUMP%objdump}readelf}
  bad=$($READELF -rW "$so" | awk -v rel="$rel" '/^ *[0-9a-f]+ +[0-9a-f]+ +R_(X86_64|386)_/ && $3 != rel {print $3}' | sort -u)
  [ -z "$bad" ] || die "relocations _relocate cannot apply: $bad"
  und=$($READELF -sW --dyn-syms "$so" | awk '$7 == "UND" && $8 != "" {print $8}' | sort -u)
  [ -z "$und" ] || die "undefined symbols: $und"
fi
exit 0

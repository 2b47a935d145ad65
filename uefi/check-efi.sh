#!/usr/bin/env bash
# Refuses a BOOTX64.EFI that firmware would not run as we intend:
#   uefi/check-efi.sh FILE.EFI [FILE.so]
# - objdump must read FILE.EFI as pe-x86-64 with a PE32+ optional header
#   (magic 020b) and subsystem 0xa (EFI application);
# - the image must have a relocation directory (.reloc) so firmware may
#   load it anywhere, and an entry point;
# - with the ELF .so given: every dynamic relocation must be
#   R_X86_64_RELATIVE (the only kind gnu-efi's _relocate applies) and no
#   symbol may be left undefined.
# Prints one reason and exits 1 on the first problem.
set -u
efi=$1 so=${2:-}
OBJDUMP=${OBJDUMP:-objdump}
die() { echo "check-efi: $efi: $*" >&2; exit 1; }

[ -s "$efi" ] || die "missing or empty"
hdr=$($OBJDUMP -p "$efi" 2>&1) || die "objdump cannot read it: $hdr"
grep -Eq 'file format pei?-x86-64' <<<"$hdr" || die "not pe-x86-64 (objdump format pei-x86-64)"
grep -Eq '^Magic[[:space:]]+020b' <<<"$hdr" || die "not PE32+ (optional header magic is not 020b)"
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
  bad=$($READELF -rW "$so" | awk '/^ *[0-9a-f]+ +[0-9a-f]+ +R_X86_64_/ && $3 != "R_X86_64_RELATIVE" {print $3}' | sort -u)
  [ -z "$bad" ] || die "relocations _relocate cannot apply: $bad"
  und=$($READELF -sW --dyn-syms "$so" | awk '$7 == "UND" && $8 != "" {print $8}' | sort -u)
  [ -z "$und" ] || die "undefined symbols: $und"
fi
exit 0

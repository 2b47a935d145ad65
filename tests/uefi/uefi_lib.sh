# Helpers for the UEFI loader tests (tests/uefi/test_uefi_*.sh); sourced
# after tests/lib.sh. Not a test itself (run.sh only runs test_*.sh).
# shellcheck shell=bash

QEMU_BOOT="$TOP/tests/boot/qemu-boot.sh"
EFI_BIN="$B/uefi/BOOTX64.EFI"
UEFI_TIMEOUT=${UEFI_TIMEOUT:-120}   # OVMF under TCG takes ~10-20 s; loaded machines more
export MTOOLS_SKIP_CHECK=1

# Stops the script with one FAIL line when an input is missing.
need_file() {
  [ -f "$1" ] && return 0
  fail "${2:-uefi}" "$1 is missing (make ${3:-test-build})"
  finish
}

# Byte offset of the ESP in image $1 for mtools' IMG@@OFFSET, read from the
# primary GPT; 1 MiB (LBA 2048, the design's default) when that fails.
esp_offset() {
  python3 - "$1" <<'PY' 2>/dev/null || echo 1048576
import struct, sys, uuid
f = open(sys.argv[1], "rb")
f.seek(512); h = f.read(92)
assert h[:8] == b"EFI PART"
lba, n, size = struct.unpack_from("<QII", h, 72)
f.seek(lba * 512); ents = f.read(n * size)
esp = uuid.UUID("C12A7328-F81F-11D2-BA4B-00A0C93EC93B").bytes_le
for i in range(n):
    e = ents[i * size:(i + 1) * size]
    if e[:16] == esp:
        print(struct.unpack_from("<Q", e, 32)[0] * 512); break
else:
    sys.exit(1)
PY
}

# uefi_boot NAME LOG [qemu-boot.sh options]: boots with OVMF and prints
# PASS/FAIL; on failure shows what qemu-boot.sh said (command, serial tail).
uefi_boot() {
  local name=$1 log=$2; shift 2
  local out
  if out=$(bash "$QEMU_BOOT" --fw uefi --timeout "$UEFI_TIMEOUT" --log "$log" "$@" 2>&1); then
    pass "$name"
  else
    fail "$name" "boot did not show what was expected"
    printf '%s\n' "$out" | tail -n 32 | sed 's/^/    /'
  fi
}

# The serial log without CRs and the terminal escapes OVMF's console adds.
clean_log() { tr -d '\r' < "$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'; }

# log_has NAME LOG REGEX: PASS when the cleaned log matches.
log_has() {
  if clean_log "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1" "serial never showed /$3/"; fi
}

# Prints the kernel's "loader X ms (entry->jump)" figure for a boot log.
loader_ms() { clean_log "$1" | sed -n 's/.*kernel timing: loader \([0-9.]*\) ms (entry->jump).*/\1/p' | head -n 1; }

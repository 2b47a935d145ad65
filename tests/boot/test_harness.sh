#!/usr/bin/env bash
# The boot harness catches what it claims to: rows that must fail (a line
# that must be absent is there, the screen lacks a text, an error row
# whose kernel boots instead and halts) fail with the right reason, the
# last one early on its failure marker rather than at its timeout; and
# the post-boot checks refuse wrong input. Three short SeaBIOS boots
# (none with QUICK=1).
source "$(dirname "$0")/../lib.sh"
cd "$TOP"
source tests/boot/checks.sh
STAGE1_LBA=65500

# check_stage1_load: right and wrong sector contents
python3 - "$T/good.mem" "$T/bad.mem" <<'PY'
import struct, sys
mem = b"".join(struct.pack("<Q", 65500 + (0x30000 + off - 0x8000) // 512) * 64 for off in range(0, 0x23000, 512))
open(sys.argv[1], "wb").write(mem)
open(sys.argv[2], "wb").write(mem[:0x10000] + bytes(512) + mem[0x10200:])
PY
check "harness: check_stage1_load accepts sectors where they belong" env MEM="$T/good.mem" bash -c "source tests/boot/checks.sh; STAGE1_LBA=65500 check_stage1_load"
check_fails "harness: check_stage1_load refuses one misplaced sector" env MEM="$T/bad.mem" bash -c "source tests/boot/checks.sh; STAGE1_LBA=65500 check_stage1_load"

# check_boot_device: the image's own GUIDs, and someone else's
want=$(LOG=/dev/null IMAGE="$IMG" check_boot_device | sed -n "s/.*the image's GPT says '\(.*\)'/\1/p")
printf 'hyboot: boot device: %s\n' "$want" > "$T/own.log"
printf 'hyboot: boot device: %s\n' "${want/esp /esp 0}" > "$T/other.log"
if [ -n "$want" ] && LOG="$T/own.log" IMAGE="$IMG" check_boot_device >/dev/null; then pass "harness: check_boot_device accepts the image's boot device"
else fail "harness: check_boot_device accepts the image's boot device" "want '$want'"; fi
check_fails "harness: check_boot_device refuses another ESP GUID" env LOG="$T/other.log" IMAGE="$IMG" bash -c "source tests/boot/checks.sh; check_boot_device"

[ "${QUICK:-0}" = 1 ] && finish
cat > "$T/m.tsv" <<'TSV'
h-absent        - bios pc ide 512M 1 std - disk pass
    absent SELFTEST PASS
h-screen        - bios pc ide 512M 1 std - disk pass
    screen Goodbye World!
h-error         - bios pc ide 512M 1 std - nocfg error:this line never comes
TSV
start=$SECONDS
out=$(MATRIX_TSV="$T/m.tsv" BOOT_TIMEOUT=120 tests/boot/matrix.sh 2>&1; echo "matrix exit status $?")
secs=$((SECONDS - start))
expect_match "harness: an absent line that shows up fails the row" "$out" '^FAIL: matrix/h-absent: serial shows /SELFTEST PASS/'
expect_match "harness: a text the screen lacks fails the row" "$out" "^FAIL: matrix/h-screen: screen does not show 'Goodbye World!'"
expect_match "harness: an error row whose kernel boots fails" "$out" '^FAIL: matrix/h-error: boot:'
expect_match "harness: ... on the failure marker, not the timeout" "$out" 'qemu-boot: FAILED: serial matched /Hello World!'
if [ "$secs" -lt 100 ]; then pass "harness: the failing rows ended early (${secs}s, timeout 120s)"
else fail "harness: the failing rows ended early" "${secs}s"; fi
expect_match "harness: failing rows fail the matrix run" "$out" 'matrix exit status 1$'
finish

#!/usr/bin/env bash
# stage1's read loop on its own, without mkimage: a hand-made disk whose
# "stage2" is the real stage2.bin followed by a patterned tail, 600
# sectors in all (ten 64-sector chunks), starting at LBA 65500 so that the
# LBA passes 2^16 between chunks. stage2 starts (then stops at "no ESP":
# the disk has none), and QEMU's memory must hold every tail sector where
# it belongs.
source "$(dirname "$0")/../lib.sh"
S1=$B/bios/stage1.bin
S2=$B/bios/stage2.bin
[ -f "$S1" ] && [ -f "$S2" ] || { fail "stage1 load" "missing $S1 or $S2"; finish; }

LBA=65500
SECTORS=600
CHECK_FROM=$((0x30000))     # far above stage2's image and bss, below 0x8000 + 600 sectors
python3 - "$S1" "$S2" "$T/disk.img" "$LBA" "$SECTORS" <<'PY' || { fail "stage1 load: build test disk"; finish; }
import struct, sys
s1, s2, out, lba, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
mbr = bytearray(open(s1, "rb").read().ljust(512, b"\0"))
struct.pack_into("<IQ", mbr, 428, n, lba)          # stage1_patch: sectors, LBA
mbr[510:512] = b"\x55\xaa"
body = bytearray(open(s2, "rb").read())
body += b"\0" * (-len(body) % 512)
while len(body) < n * 512:                         # tail: each sector holds its own LBA
    body += struct.pack("<Q", lba + len(body) // 512) * 64
with open(out, "wb") as f:
    f.write(mbr)
    f.seek(lba * 512)
    f.write(body)
    f.truncate((lba + n + 2048) * 512)
PY

mon=$T/mon log=$T/serial.log
: > "$log"
qemu-system-x86_64 -machine q35 -accel "${ACCEL:-tcg}" -m 256M -no-reboot -net none -display none \
  -serial "file:$log" -monitor "unix:$mon,server,nowait" \
  -drive "format=raw,snapshot=on,file=$T/disk.img" </dev/null >"$T/qemu.out" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 600); do
  grep -q 'hyboot: error:' "$log" 2>/dev/null && break
  kill -0 $qpid 2>/dev/null || break
  sleep 0.1
done
expect_match "stage1 load: stage2 started from LBA $LBA" "$(tr -d '\r' < "$log")" 'hyboot: stage2 started'
expect_match "stage1 load: stage2 then stops at the missing ESP" "$(tr -d '\r' < "$log")" 'hyboot: error: no ESP'

python3 - "$mon" "$T/mem.bin" "$CHECK_FROM" $((0x8000 + SECTORS * 512 - CHECK_FROM)) <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(("pmemsave %s %s \"%s\"\n" % (sys.argv[3], sys.argv[4], sys.argv[2])).encode())
for _ in range(50):
    time.sleep(0.1)
    if os.path.exists(sys.argv[2]) and os.path.getsize(sys.argv[2]) == int(sys.argv[4]): break
s.sendall(b"quit\n"); time.sleep(0.2)
PY
result=$(python3 - "$T/mem.bin" "$CHECK_FROM" "$LBA" <<'PY'
import struct, sys
mem = open(sys.argv[1], "rb").read()
base, lba0 = int(sys.argv[2]), int(sys.argv[3])
bad = []
for off in range(0, len(mem), 512):
    want = lba0 + (base + off - 0x8000) // 512
    if mem[off:off + 512] != struct.pack("<Q", want) * 64:
        bad.append(want)
print("ok %d sectors" % (len(mem) // 512) if mem and not bad else "bad LBAs %s" % bad[:8])
PY
)
expect_match "stage1 load: sectors past LBA 65535 land at the right addresses" "$result" '^ok [0-9]+ sectors'
echo "    $result"
kill $qpid 2>/dev/null; wait $qpid 2>/dev/null

# The patch record points past the end of the disk: the read fails, is
# retried after a reset, and stage1 says so.
python3 - "$T/disk.img" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(428); f.write(struct.pack("<IQ", 16, 100000000))
PY
if out=$("$TOP/tests/boot/qemu-boot.sh" --fw bios --image "$T/disk.img" --expect 'hyboot: error: read' --timeout 60 2>&1); then
  pass "stage1 load: unreadable stage2 -> 'hyboot: error: read'"
else
  fail "stage1 load: unreadable stage2 -> 'hyboot: error: read'"
  printf '%s\n' "$out" | tail -n 8 | sed 's/^/    /'
fi
finish

#!/usr/bin/env bash
# The screen, not only serial: boots without the exit device (the kernel
# halts after its self-test), takes a QEMU screendump and looks for the
# "Hello World!" glyphs with build/tests/fbcheck (the kernel's own font and
# renderer). The screenshot is kept under build/test-artifacts/ as PPM and PNG.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
[ "${QUICK:-0}" = 1 ] && { echo "info: uefi/screen skipped (QUICK=1)"; exit 0; }
need_file "$IMG" uefi/screen "make disk.img"
FBCHECK="$B/tests/fbcheck"
need_file "$FBCHECK" uefi/screen "make $FBCHECK"

ART="$B/test-artifacts"
mkdir -p "$ART"
shot="$T/uefi.ppm"
uefi_boot "uefi/screen: boots to SELFTEST PASS and takes a screendump" "$T/screen.log" \
  --image "$IMG" --no-exit-device --screendump "$shot" --expect '^Hello World!' --expect 'SELFTEST PASS'
if [ -s "$shot" ]; then
  cp "$shot" "$ART/uefi-screen.ppm"
  # PNG for people: zlib + a few chunks, no imaging library needed.
  python3 - "$shot" "$ART/uefi-screen.png" <<'PY' || echo "info: PNG conversion failed; the PPM is kept"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
tok, pos = [], 0
while len(tok) < 4:
    while data[pos:pos + 1].isspace(): pos += 1
    if data[pos:pos + 1] == b"#":
        pos = data.index(b"\n", pos); continue
    end = pos
    while not data[end:end + 1].isspace(): end += 1
    tok.append(data[pos:end]); pos = end
pos += 1
assert tok[0] == b"P6" and tok[3] == b"255"
w, h = int(tok[1]), int(tok[2])
px = data[pos:pos + w * h * 3]
raw = b"".join(b"\0" + px[y * w * 3:(y + 1) * w * 3] for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
PY
  if out=$("$FBCHECK" "$shot" "Hello World!" 2>&1); then
    pass "uefi/screen: \"Hello World!\" is on the screen ($out)"
  else
    fail "uefi/screen: \"Hello World!\" is on the screen" "fbcheck: $out (see $ART/uefi-screen.png)"
  fi
  echo "info: screenshot kept as $ART/uefi-screen.png and .ppm"
else
  fail "uefi/screen: \"Hello World!\" is on the screen" "no screendump was written"
fi
log_has "uefi/screen: the loader reported its GOP mode" "$T/screen.log" 'hyboot: display: GOP mode [0-9]+ [0-9]+x[0-9]+'
finish

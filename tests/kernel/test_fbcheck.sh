#!/usr/bin/env bash
# fbcheck on synthetic screendumps: text drawn by an independent renderer
# (Python, straight from the console font file) must be found at the right
# place in any colours; absent, misspelt or clipped text must not be.
source "$(dirname "$0")/../lib.sh"
FBCHECK=$B/tests/fbcheck
PSF=$B/kernel/default8x16.psf
[ -x "$FBCHECK" ] && [ -f "$PSF" ] || { fail "fbcheck built" "run make $FBCHECK"; finish; }

# mkppm OUT W H "TEXT" X Y FG BG [noise]: draws TEXT with the PSF font.
mkppm() {
  python3 - "$PSF" "$@" <<'PY'
import sys, random
psf, out, w, h, text, x0, y0, fg, bg = sys.argv[1:10]
noise = len(sys.argv) > 10
w, h, x0, y0 = int(w), int(h), int(x0), int(y0)
fg = bytes(int(fg[i:i+2], 16) for i in (0, 2, 4))
bg = bytes(int(bg[i:i+2], 16) for i in (0, 2, 4))
font = open(psf, 'rb').read()
assert font[0:2] == b'\x36\x04' and font[3] == 16
img = bytearray(bg * (w * h))
if noise:  # random speckles away from the text
    rnd = random.Random(7)
    for _ in range(w * h // 20):
        px, py = rnd.randrange(w), rnd.randrange(h)
        if not (y0 - 2 <= py < y0 + 18):
            img[(py * w + px) * 3:(py * w + px) * 3 + 3] = bytes(rnd.randrange(256) for _ in range(3))
for i, ch in enumerate(text.encode('latin-1')):
    glyph = font[4 + ch * 16: 4 + ch * 16 + 16]
    for y in range(16):
        for x in range(8):
            if glyph[y] >> (7 - x) & 1:
                px, py = x0 + i * 8 + x, y0 + y
                if 0 <= px < w and 0 <= py < h:
                    img[(py * w + px) * 3:(py * w + px) * 3 + 3] = fg
open(out, 'wb').write(b'P6\n# synthetic\n%d %d\n255\n' % (w, h) + img)
PY
}

mkppm "$T/grey.ppm" 320 200 "Hello World!" 37 53 c0c0c0 000000 noise
out=$("$FBCHECK" "$T/grey.ppm" "Hello World!")
expect_eq "fbcheck finds grey-on-black text at its position" "$out" \
  "fbcheck: \"Hello World!\" found at 37,53 in $T/grey.ppm (320x200)"
check_fails "fbcheck rejects a misspelt text" "$FBCHECK" "$T/grey.ppm" "Hello World?"
check_fails "fbcheck rejects text that is not there" "$FBCHECK" "$T/grey.ppm" "SELFTEST PASS"

if [ "${QUICK:-0}" != 1 ]; then
  mkppm "$T/color.ppm" 640 480 "Hello World!" 600 300 ffff55 0000aa
  check_fails "fbcheck rejects text clipped at the right edge" "$FBCHECK" "$T/color.ppm" "Hello World!"
  mkppm "$T/color.ppm" 640 480 "Hello World!" 11 464 ffff55 0000aa
  out=$("$FBCHECK" "$T/color.ppm" "Hello World!")
  expect_match "fbcheck finds yellow-on-blue text in the bottom row" "$out" "found at 11,464 "
  mkppm "$T/panic.ppm" 1024 768 "PANIC: #UD invalid opcode (vector 6)" 0 112 ff5555 000000 noise
  check "fbcheck finds a red panic line" "$FBCHECK" "$T/panic.ppm" "PANIC: #UD invalid opcode"
  check_fails "fbcheck: text darker than background is not foreground" \
    bash -c "python3 -c \"
d=open('$T/grey.ppm','rb').read(); i=d.index(b'255\n')+4
open('$T/inv.ppm','wb').write(d[:i]+bytes(255-b for b in d[i:]))\" && '$FBCHECK' '$T/inv.ppm' 'Hello World!'"
  printf 'P5\n2 2\n255\n\0\0\0\0' > "$T/p5.pgm"
  "$FBCHECK" "$T/p5.pgm" "x" >/dev/null 2>&1; rc=$?
  expect_eq "fbcheck refuses a non-P6 file (exit 2)" "$rc" 2
fi
finish

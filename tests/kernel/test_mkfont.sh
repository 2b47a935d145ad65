#!/usr/bin/env bash
# kernel/tools/mkfont: PSF1 and PSF2 fonts, with and without a Unicode
# table, become 256 glyphs indexed by code point; bad input is refused.
source "$(dirname "$0")/../lib.sh"
MKFONT=$B/kernel/mkfont
[ -x "$MKFONT" ] || { fail "mkfont built" "$MKFONT missing"; finish; }

# Fonts where glyph g is filled with the byte g (so a row shows which
# glyph landed at a code point); the table maps glyph 7 to 'A' (and to
# U+00E9 as UTF-8 for PSF2) and glyph 9 to '?'.
python3 - "$T" <<'PY'
import struct, sys
t = sys.argv[1]
glyphs = b''.join(bytes([g]) * 16 for g in range(256))
# PSF1 with table: mode 2, charsize 16; per glyph uint16 list ended by 0xFFFF
tab = b''
for g in range(256):
    cps = {7: [0x41], 9: [0x3f], 10: [0x42, 0xfffe, 0x42, 0x301]}.get(g, [])
    tab += b''.join(struct.pack('<H', c) for c in cps) + b'\xff\xff'
open(t + '/t1.psf', 'wb').write(b'\x36\x04\x02\x10' + glyphs + tab)
open(t + '/plain.psf', 'wb').write(b'\x36\x04\x00\x10' + glyphs)
# PSF2: 8x16, 256 glyphs, flag 1 = has table (UTF-8, 0xFF ends a glyph)
hdr = struct.pack('<IIIIIIII', 0x864ab572, 0, 32, 1, 256, 16, 16, 8)
tab2 = b''
for g in range(256):
    s = {7: 'A\u00e9', 9: '?'}.get(g, '')
    tab2 += s.encode('utf-8') + b'\xff'
open(t + '/t2.psf', 'wb').write(hdr + glyphs + tab2)
open(t + '/bad.psf', 'wb').write(b'\x00\x01\x02\x03' * 10)
open(t + '/short.psf', 'wb').write(b'\x36\x04\x00\x10' + glyphs[:100])
PY

row() { # row FILE CODEPOINT-HEX: the first byte of that glyph's rows
  sed -n "s|^    /\* U+$2 \*/ \(0x[0-9a-f]*\),.*|\1|p" "$1"
}
if "$MKFONT" "$T/t1.psf" f "$T/font.h" > "$T/t1.c"; then
  expect_eq "PSF1 table: 'A' (U+0041) is glyph 7" "$(row "$T/t1.c" 0041)" 0x07
  expect_eq "PSF1 table: 'B' from glyph 10 (sequences ignored)" "$(row "$T/t1.c" 0042)" 0x0a
  expect_eq "PSF1 table: unmapped code point falls back to '?'" "$(row "$T/t1.c" 0043)" 0x09
  expect_eq "PSF1 table: control characters keep their own glyphs" "$(row "$T/t1.c" 0005)" 0x05
  expect_match "generated file includes the given header" "$(head -3 "$T/t1.c")" "#include \"$T/font.h\""
  expect_match "generated file defines the named font" "$(tail -1 "$T/t1.c")" '^const struct hy_font f = \{ 8, 16, 1, 256, f_glyphs \};$'
else
  fail "mkfont reads a PSF1 font with a table"
fi
"$MKFONT" "$T/plain.psf" f "$T/font.h" > "$T/plain.c" &&
  expect_eq "PSF1 without table: identity mapping" "$(row "$T/plain.c" 00E9)" 0xe9
if "$MKFONT" "$T/t2.psf" f "$T/font.h" > "$T/t2.c"; then
  expect_eq "PSF2 table: 'A' is glyph 7" "$(row "$T/t2.c" 0041)" 0x07
  expect_eq "PSF2 table: UTF-8 U+00E9 is glyph 7" "$(row "$T/t2.c" 00E9)" 0x07
else
  fail "mkfont reads a PSF2 font"
fi
check_fails "mkfont refuses a non-PSF file" "$MKFONT" "$T/bad.psf" f "$T/font.h"
check_fails "mkfont refuses a truncated font" "$MKFONT" "$T/short.psf" f "$T/font.h"
check_fails "mkfont refuses wrong arguments" "$MKFONT" "$T/t1.psf"
finish

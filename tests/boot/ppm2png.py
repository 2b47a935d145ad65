#!/usr/bin/env python3
"""ppm2png.py IN.ppm OUT.png: a QEMU screendump (binary PPM, P6) as PNG,
for people looking at test artifacts; zlib and a few chunks, no imaging
library needed."""
import struct
import sys
import zlib


def main(src, dst):
    data = open(src, "rb").read()
    tok, pos = [], 0
    while len(tok) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        tok.append(data[pos:end])
        pos = end
    pos += 1
    if tok[0] != b"P6" or tok[3] != b"255":
        sys.exit("%s: not an 8-bit P6 PPM" % src)
    w, h = int(tok[1]), int(tok[2])
    px = data[pos:pos + w * h * 3]
    raw = b"".join(b"\0" + px[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    open(dst, "wb").write(png)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""Helpers for the image checks that must stay fast on sparse multi-TiB
images (they only touch the data extents, found with SEEK_DATA/SEEK_HOLE).

  helpers.py extract SRC OFFSET LENGTH DST   bytes [OFFSET, OFFSET+LENGTH) of SRC
                                              into a sparse file DST
  helpers.py cmp A B                          exit 0 when A and B have the same
                                              size and bytes (holes read as zeros)
  helpers.py fakepe DST                       a minimal PE32+ x86-64 EFI application
                                              header (for when no BOOTX64.EFI is built)
  helpers.py flip FILE OFFSET                 invert one byte in place
"""
import os
import struct
import sys

CHUNK = 1 << 20


def extents(fd, start, end):
    """(begin, end) of every data region of fd inside [start, end)."""
    off = start
    while off < end:
        try:
            d = os.lseek(fd, off, os.SEEK_DATA)
        except OSError:       # ENXIO: no data after off
            return
        if d >= end:
            return
        h = min(os.lseek(fd, d, os.SEEK_HOLE), end)
        yield d, h
        off = h


def extract(src, offset, length, dst):
    fi = os.open(src, os.O_RDONLY)
    fo = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.ftruncate(fo, length)
    for a, b in extents(fi, offset, offset + length):
        pos = a
        while pos < b:
            n = min(b - pos, CHUNK)
            os.pwrite(fo, os.pread(fi, n, pos), pos - offset)
            pos += n
    os.close(fi)
    os.close(fo)


def same(a, b):
    fa, fb = os.open(a, os.O_RDONLY), os.open(b, os.O_RDONLY)
    size = os.fstat(fa).st_size
    if size != os.fstat(fb).st_size:
        print(f"sizes differ: {size} vs {os.fstat(fb).st_size}")
        return False
    # Compare over the union of both files' data regions; elsewhere both
    # are holes and read as zeros.
    regions = sorted(list(extents(fa, 0, size)) + list(extents(fb, 0, size)))
    for a0, a1 in regions:
        pos = a0
        while pos < a1:
            n = min(a1 - pos, CHUNK)
            if os.pread(fa, n, pos) != os.pread(fb, n, pos):
                print(f"first difference in the {n} bytes at offset {pos}")
                return False
            pos += n
    return True


def fakepe(dst, i386=False):
    """The smallest image common/pe.c accepts: one section, an entry point.
    x86-64 PE32+ (BOOTX64.EFI), or i386 PE32 (BOOTIA32.EFI)."""
    img = bytearray(1024)
    img[0:2] = b"MZ"
    struct.pack_into("<I", img, 0x3C, 0x80)
    img[0x80:0x84] = b"PE\0\0"
    # COFF header: machine, 1 section, optional header 240 (PE32+) or 224
    # (PE32) bytes, characteristics executable | large address aware.
    optsize = 224 if i386 else 240
    struct.pack_into("<HHIIIHH", img, 0x84, 0x14C if i386 else 0x8664, 1, 0, 0, 0, optsize, 0x22)
    opt = 0x84 + 20
    struct.pack_into("<H", img, opt, 0x10B if i386 else 0x20B)
    struct.pack_into("<I", img, opt + 16, 0x200)     # entry point
    struct.pack_into("<I", img, opt + 56, 0x1000)    # size of image
    struct.pack_into("<H", img, opt + 68, 10)        # EFI application
    sec = opt + optsize
    struct.pack_into("<8sIIII", img, sec, b".text", 0x200, 0x200, 0x200, 0x200)
    img[0x200] = 0xC3                                # ret
    with open(dst, "wb") as f:
        f.write(img)


def flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0xFF]))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "extract" and len(argv) == 6:
        extract(argv[2], int(argv[3]), int(argv[4]), argv[5])
    elif cmd == "cmp" and len(argv) == 4:
        return 0 if same(argv[2], argv[3]) else 1
    elif cmd == "fakepe" and len(argv) == 3:
        fakepe(argv[2])
    elif cmd == "fakepe32" and len(argv) == 3:
        fakepe(argv[2], i386=True)
    elif cmd == "flip" and len(argv) == 4:
        flip(argv[2], int(argv[3]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

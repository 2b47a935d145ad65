#!/usr/bin/env python3
"""Damage and rearrange disk images the way real media go wrong, for the
boot matrix's image variants (tests/boot/images.sh). Each command edits
IMG in place and exits non-zero, with a reason, when it cannot do exactly
what it says (so a variant is never silently the unmodified image).

  imgedit.py gpt-header IMG          break the primary GPT header's CRC
  imgedit.py gpt-backup-header IMG   break the backup GPT header's CRC (at
                                     the primary's alternate LBA)
  imgedit.py gpt-entries IMG         zero the first sector of the primary
                                     entry array (its CRC then mismatches)
  imgedit.py gpt-entries-lba IMG LBA point the primary header's entry array
                                     at LBA (header CRC recomputed)
  imgedit.py fat1-zero IMG ESP_OFF   zero the first FAT of the FAT volume
                                     at byte ESP_OFF (the second stays good)
  imgedit.py scatter IMG ESP_OFF PATH
                                     move PATH's clusters to free clusters
                                     spread over the volume, in shuffled
                                     order (both FATs and the directory
                                     entry updated; prints the fragments)
  imgedit.py flip FILE               invert the middle byte of FILE
"""
import random
import struct
import sys
import zlib

SECTOR = 512


class Fail(Exception):
    pass


def gpt_header(f):
    f.seek(SECTOR)
    h = bytearray(f.read(92))
    if h[:8] != b"EFI PART":
        raise Fail("no primary GPT header at LBA 1")
    return h


def cmd_gpt_header(img):
    with open(img, "r+b") as f:
        h = gpt_header(f)
        crc = struct.unpack_from("<I", h, 16)[0]
        struct.pack_into("<I", h, 16, crc ^ 0x5A5A5A5A)
        f.seek(SECTOR)
        f.write(h)


def cmd_gpt_backup_header(img):
    with open(img, "r+b") as f:
        alt = struct.unpack_from("<Q", gpt_header(f), 32)[0]
        f.seek(alt * SECTOR)
        h = bytearray(f.read(92))
        if h[:8] != b"EFI PART":
            raise Fail("no backup GPT header at LBA %d" % alt)
        crc = struct.unpack_from("<I", h, 16)[0]
        struct.pack_into("<I", h, 16, crc ^ 0x5A5A5A5A)
        f.seek(alt * SECTOR)
        f.write(h)


def cmd_gpt_entries(img):
    with open(img, "r+b") as f:
        h = gpt_header(f)
        lba = struct.unpack_from("<Q", h, 72)[0]
        f.seek(lba * SECTOR)
        if not any(f.read(SECTOR)):
            raise Fail("the entry array's first sector is already empty")
        f.seek(lba * SECTOR)
        f.write(bytes(SECTOR))


def cmd_gpt_entries_lba(img, lba):
    with open(img, "r+b") as f:
        h = gpt_header(f)
        struct.pack_into("<Q", h, 72, int(lba))
        struct.pack_into("<I", h, 16, 0)
        struct.pack_into("<I", h, 16, zlib.crc32(bytes(h)))
        f.seek(SECTOR)
        f.write(h)


class Fat:
    """Just enough of a FAT12/16/32 volume to move one file's clusters."""

    def __init__(self, f, off):
        self.f, self.off = f, off
        f.seek(off)
        bs = f.read(SECTOR)
        if bs[510:512] != b"\x55\xaa":
            raise Fail("no FAT boot sector at byte %d" % off)
        (self.bps, self.spc, self.rsvd, self.nfats, self.nroot, tot16, _media,
         fat16sz) = struct.unpack_from("<HBHBHHBH", bs, 11)
        tot32 = struct.unpack_from("<I", bs, 32)[0]
        self.fatsz = fat16sz or struct.unpack_from("<I", bs, 36)[0]
        total = tot16 or tot32
        self.root_secs = (self.nroot * 32 + self.bps - 1) // self.bps
        self.data = self.rsvd + self.nfats * self.fatsz + self.root_secs
        self.nclusters = (total - self.data) // self.spc
        self.type = 12 if self.nclusters < 4085 else 16 if self.nclusters < 65525 else 32
        self.root_cluster = struct.unpack_from("<I", bs, 44)[0] if self.type == 32 else 0
        self.csize = self.bps * self.spc
        f.seek(off + self.rsvd * self.bps)
        self.fat = bytearray(f.read(self.fatsz * self.bps))
        self.eoc = {12: 0xFFF, 16: 0xFFFF, 32: 0x0FFFFFFF}[self.type]

    def get(self, n):
        if self.type == 12:
            v = struct.unpack_from("<H", self.fat, n * 3 // 2)[0]
            return v >> 4 if n & 1 else v & 0xFFF
        if self.type == 16:
            return struct.unpack_from("<H", self.fat, n * 2)[0]
        return struct.unpack_from("<I", self.fat, n * 4)[0] & 0x0FFFFFFF

    def set(self, n, v):
        if self.type == 12:
            i = n * 3 // 2
            old = struct.unpack_from("<H", self.fat, i)[0]
            new = (old & 0x000F) | (v << 4) if n & 1 else (old & 0xF000) | v
            struct.pack_into("<H", self.fat, i, new)
        elif self.type == 16:
            struct.pack_into("<H", self.fat, n * 2, v)
        else:
            i = n * 4
            old = struct.unpack_from("<I", self.fat, i)[0]
            struct.pack_into("<I", self.fat, i, (old & 0xF0000000) | v)

    def is_end(self, v):
        return v >= self.eoc - 7

    def chain(self, c):
        out = []
        while True:
            if not 2 <= c < self.nclusters + 2 or len(out) > self.nclusters:
                raise Fail("broken cluster chain at cluster %d" % c)
            out.append(c)
            nxt = self.get(c)
            if self.is_end(nxt):
                return out
            c = nxt

    def cluster_off(self, c):
        return self.off + (self.data + (c - 2) * self.spc) * self.bps

    def dir_entries(self, cluster):
        """(byte offset, 32-byte entry) of a directory (cluster 0 = FAT12/16 root)."""
        if cluster == 0 and self.type != 32:
            base = self.off + (self.rsvd + self.nfats * self.fatsz) * self.bps
            spans = [(base, self.nroot * 32)]
        else:
            spans = [(self.cluster_off(c), self.csize) for c in self.chain(cluster or self.root_cluster)]
        for base, size in spans:
            self.f.seek(base)
            blob = self.f.read(size)
            for i in range(0, size, 32):
                e = blob[i:i + 32]
                if e[0] == 0:
                    return
                yield base + i, e

    def find(self, path):
        cluster, entry = 0, None
        for part in [p for p in path.split("/") if p]:
            name, _, ext = part.upper().partition(".")
            want = name.ljust(8).encode() + ext.ljust(3).encode()
            for pos, e in self.dir_entries(cluster):
                if e[0] != 0xE5 and e[11] & 0x0F != 0x0F and e[:11] == want:
                    entry = pos, e
                    cluster = struct.unpack_from("<H", e, 20)[0] << 16 | struct.unpack_from("<H", e, 26)[0]
                    break
            else:
                raise Fail("%s: no short-name entry %r" % (path, part))
        return entry

    def write_fats(self, which=None):
        for i in range(self.nfats) if which is None else which:
            self.f.seek(self.off + (self.rsvd + i * self.fatsz) * self.bps)
            self.f.write(self.fat)


def cmd_fat1_zero(img, off):
    with open(img, "r+b") as f:
        fat = Fat(f, int(off))
        if fat.nfats < 2:
            raise Fail("the volume has one FAT; zeroing it leaves nothing to fall back on")
        fat.fat = bytearray(len(fat.fat))
        fat.write_fats([0])


def cmd_scatter(img, off, path):
    with open(img, "r+b") as f:
        fat = Fat(f, int(off))
        pos, e = fat.find(path)
        first = struct.unpack_from("<H", e, 20)[0] << 16 | struct.unpack_from("<H", e, 26)[0]
        old = fat.chain(first)
        free = [c for c in range(2, fat.nclusters + 2) if fat.get(c) == 0]
        # every other free cluster: no two of the file's clusters adjacent
        pool = free[::2]
        if len(pool) < len(old):
            raise Fail("only %d spread-out free clusters for %d" % (len(pool), len(old)))
        rnd = random.Random(15)            # same inputs, same image
        new = rnd.sample(pool, len(old))
        for src, dst in zip(old, new):
            f.seek(fat.cluster_off(src))
            data = f.read(fat.csize)
            f.seek(fat.cluster_off(dst))
            f.write(data)
        for c in old:
            fat.set(c, 0)
        for a, b in zip(new, new[1:]):
            fat.set(a, b)
        fat.set(new[-1], fat.eoc)
        fat.write_fats()
        e = bytearray(e)
        struct.pack_into("<H", e, 20, new[0] >> 16)
        struct.pack_into("<H", e, 26, new[0] & 0xFFFF)
        f.seek(pos)
        f.write(e)
        runs = 1 + sum(1 for a, b in zip(new, new[1:]) if b != a + 1)
        print("%s: %d clusters in %d fragments (FAT%d)" % (path, len(new), runs, fat.type))


def cmd_flip(path):
    with open(path, "r+b") as f:
        size = f.seek(0, 2)
        if not size:
            raise Fail("%s is empty" % path)
        f.seek(size // 2)
        b = f.read(1)[0]
        f.seek(size // 2)
        f.write(bytes([b ^ 0xFF]))


COMMANDS = {"gpt-header": cmd_gpt_header, "gpt-backup-header": cmd_gpt_backup_header, "gpt-entries": cmd_gpt_entries,
            "gpt-entries-lba": cmd_gpt_entries_lba, "fat1-zero": cmd_fat1_zero,
            "scatter": cmd_scatter, "flip": cmd_flip}


def main(argv):
    fn = COMMANDS.get(argv[1]) if len(argv) > 1 else None
    if fn is None or len(argv) - 2 != fn.__code__.co_argcount:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        fn(*argv[2:])
    except (Fail, OSError) as err:
        print("imgedit.py %s: %s" % (argv[1], err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

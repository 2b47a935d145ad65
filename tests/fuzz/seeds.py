#!/usr/bin/env python3
"""Writes the fuzz seed corpora in tests/fuzz/corpus/<target>/ from real
images mkimage makes and from the files it installs, deterministically
(fixed --seed, SOURCE_DATE_EPOCH, sorted output): running it twice on the
same build gives the same bytes. Regenerate after an on-disk format change:

    make fuzz-build build/mkimage/mkimage && tests/fuzz/seeds.py

Disk targets (gpt, fat, inspect) take the sparse form of fuzz_disk.h: only
the 512-byte units that are not zero. Images are trimmed to the bytes that
matter: file contents shrink to their first units (two inspect seeds keep
everything so the ELF, PE and stage2 checks see real files), so the whole
corpus stays small. Seeds of findings live next to these as crash-* files
and are never rewritten by this script (it only replaces seed-* files)."""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B = os.path.join(TOP, "build")
MKIMAGE = os.path.join(B, "mkimage", "mkimage")
CORPUS = os.path.join(TOP, "tests", "fuzz", "corpus")
UNIT = 512
KEEP_UNITS = 4          # units of each file's contents a trimmed seed keeps

seeds = {}              # target -> {name: bytes}


def add(target, name, data):
    seeds.setdefault(target, {})["seed-" + name] = bytes(data)


# ---- the sparse disk form (tests/fuzz/fuzz_disk.h) ---------------------------

def sparse(img, keep=None, flags=0):
    """img as a fuzz disk: the non-zero units for which keep(unit) holds."""
    units = len(img) // UNIT
    out = bytearray(struct.pack("<IB3x", units, flags))
    zero = bytes(UNIT)
    for u in range(units):
        chunk = img[u * UNIT:(u + 1) * UNIT]
        if chunk != zero and (keep is None or keep(u)):
            out += struct.pack("<I", u) + chunk
    return out


# ---- reading what mkimage wrote ----------------------------------------------

def sector_size(img):
    return 4096 if img[4096:4104] == b"EFI PART" else 512


ESP_TYPE = bytes.fromhex("28732ac11ff8d211ba4b00a0c93ec93b")
BIOS_BOOT_TYPE = bytes.fromhex("4861682149646f6e744e656564454649")


def gpt_range(img, type_guid):
    """Byte offset and length of the first GPT entry of that type, or None
    (also when the image has no GPT)."""
    ss = sector_size(img)
    if img[ss:ss + 8] != b"EFI PART":
        return None
    lba, count, size = struct.unpack_from("<QII", img, ss + 72)
    for i in range(count):
        e = img[lba * ss + i * size:lba * ss + (i + 1) * size]
        if e[:16] == type_guid:
            first, last = struct.unpack_from("<QQ", e, 32)
            return first * ss, (last - first + 1) * ss
    return None


def esp_range(img):
    """Byte offset and length of the ESP: the GPT's ESP entry, else the MBR's
    0xEF / 0x0C entry."""
    r = gpt_range(img, ESP_TYPE)
    if r:
        return r
    ss = sector_size(img)
    for i in range(4):
        e = img[446 + 16 * i:462 + 16 * i]
        if e[4] in (0xEF, 0x0C):
            first, count = struct.unpack_from("<II", e, 8)
            return first * ss, count * ss
    raise SystemExit("seeds.py: no ESP in an image mkimage wrote")


def bios_boot_range(img):
    return gpt_range(img, BIOS_BOOT_TYPE)


class Fat:
    """Just enough FAT to find directories and files in a volume mkimage
    wrote (which is sound: no loop guards needed here)."""

    def __init__(self, vol):
        self.v = vol
        (self.bps, self.spc, rsv, self.nfats, root_entries, tot16, _, fsz16) = \
            struct.unpack_from("<HBHBHHBH", vol, 11)
        tot32, = struct.unpack_from("<I", vol, 32)
        fsz32, _, _, self.root_cluster = struct.unpack_from("<IHHI", vol, 36)
        self.fat_size = (fsz16 or fsz32) * self.bps
        self.fat_off = rsv * self.bps
        self.root_off = self.fat_off + self.nfats * self.fat_size
        self.root_bytes = root_entries * 32
        root_secs = (self.root_bytes + self.bps - 1) // self.bps
        self.data_off = self.root_off + root_secs * self.bps
        total = tot16 or tot32
        clusters = (total * self.bps - self.data_off) // (self.spc * self.bps)
        self.type = 12 if clusters < 4085 else 16 if clusters < 65525 else 32
        self.csize = self.spc * self.bps
        self.dir_clusters = set()
        self.files = []          # (dirent offset, first cluster, size, path)
        self.walk(0 if self.type != 32 else self.root_cluster, "")

    def entry(self, c):
        if self.type == 12:
            v, = struct.unpack_from("<H", self.v, self.fat_off + c + c // 2)
            return v >> 4 if c & 1 else v & 0xFFF
        if self.type == 16:
            return struct.unpack_from("<H", self.v, self.fat_off + 2 * c)[0]
        return struct.unpack_from("<I", self.v, self.fat_off + 4 * c)[0] & 0x0FFFFFFF

    def set_entry(self, c, val):
        for k in range(self.nfats):
            base = self.fat_off + k * self.fat_size
            if self.type == 12:
                off = base + c + c // 2
                old, = struct.unpack_from("<H", self.v, off)
                new = (old & 0xF) | (val << 4) if c & 1 else (old & 0xF000) | val
                struct.pack_into("<H", self.v, off, new)
            elif self.type == 16:
                struct.pack_into("<H", self.v, base + 2 * c, val)
            else:
                struct.pack_into("<I", self.v, base + 4 * c, val)

    def chain(self, c):
        out = []
        end = {12: 0xFF8, 16: 0xFFF8, 32: 0x0FFFFFF8}[self.type]
        while 2 <= c < end:
            out.append(c)
            c = self.entry(c)
        return out

    def coff(self, c):
        return self.data_off + (c - 2) * self.csize

    def walk(self, first, path):
        if first == 0:
            spans = [(self.root_off, self.root_bytes)]
        else:
            cl = self.chain(first)
            self.dir_clusters.update(cl)
            spans = [(self.coff(c), self.csize) for c in cl]
        for off, n in spans:
            for e in range(off, off + n, 32):
                d = self.v[e:e + 32]
                if d[0] == 0:
                    return
                if d[0] == 0xE5 or d[11] == 0x0F or d[11] & 0x08:
                    continue
                base, ext = d[:8].decode("latin-1").rstrip(), d[8:11].decode("latin-1").rstrip()
                name = base + ("." + ext if ext else "")
                hi, lo = struct.unpack_from("<H", d, 20)[0], struct.unpack_from("<H", d, 26)[0]
                c = hi << 16 | lo
                if d[11] & 0x10:
                    if not name.startswith("."):
                        self.walk(c, path + "/" + name)
                else:
                    self.files.append((e, c, struct.unpack_from("<I", d, 28)[0], path + "/" + name))

    def file(self, path):
        for e, c, size, p in self.files:
            if p == path:
                data = b"".join(self.v[self.coff(x):self.coff(x) + self.csize] for x in self.chain(c))
                return e, c, data[:size]
        return None

    def reverse_chain(self, path):
        """Stores a file's clusters in reverse order on the disk: every link
        of its chain jumps backwards, as on a fragmented volume."""
        e, c, _ = self.file(path)
        cl = self.chain(c)
        if len(cl) < 2:
            return
        blocks = [bytes(self.v[self.coff(x):self.coff(x) + self.csize]) for x in cl]
        new = cl[::-1]
        for k, x in enumerate(new):
            self.v[self.coff(x):self.coff(x) + self.csize] = blocks[k]
            self.set_entry(x, new[k + 1] if k + 1 < len(new) else {12: 0xFFF, 16: 0xFFFF, 32: 0x0FFFFFFF}[self.type])
        struct.pack_into("<H", self.v, e + 20, new[0] >> 16)
        struct.pack_into("<H", self.v, e + 26, new[0] & 0xFFFF)

    def keep_units(self, base, trim, whole=()):
        """Units (of the disk, the volume at byte base) to keep: everything
        up to the data area, directories, and file contents (their first
        KEEP_UNITS units when trim, except the files under the folders in
        whole)."""
        keep = set(range(base // UNIT, (base + self.data_off) // UNIT))
        per = self.csize // UNIT
        for c in self.dir_clusters:
            keep.update(range((base + self.coff(c)) // UNIT, (base + self.coff(c)) // UNIT + per))
        for _, c, size, path in self.files:
            left = min(size, KEEP_UNITS * UNIT) if trim and not path.startswith(whole) else size
            for x in self.chain(c):
                if left <= 0:
                    break
                u = (base + self.coff(x)) // UNIT
                n = min(per, (left + UNIT - 1) // UNIT)
                keep.update(range(u, u + n))
                left -= n * UNIT
        return keep


# ---- images ----------------------------------------------------------------------

def mkimage(tmp, name, args):
    out = os.path.join(tmp, name + ".img")
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    subprocess.run([MKIMAGE, "--seed", "fuzz-" + name, "-o", out] + args, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return bytearray(f.read())


def image_seeds(name, img, full=False, gpt_variants=True):
    ss = sector_size(img)
    flags = 1 if ss == 4096 else 0
    off, length = esp_range(img)
    fat = Fat(img[off:off + length])
    # fat: the volume alone, at LBA 0
    vol = img[off:off + length]
    fk = fat.keep_units(0, True)
    add("fat", name, sparse(vol, lambda u: u in fk, flags))
    # loader: the same volume with /boot whole (kernel, modules, boot.cfg)
    lk = fat.keep_units(0, True, ("/BOOT/",))
    add("loader", name, sparse(vol, lambda u: u in lk, flags))
    # inspect: the whole image
    keep = fat.keep_units(off, not full)
    bb = bios_boot_range(img)
    head = (34 * 512 if ss == 512 else 6 * 4096) // UNIT
    tail = len(img) // UNIT - (33 * 512 if ss == 512 else 5 * 4096) // UNIT

    def keep_image(u):
        if u < head or u >= tail or u in keep:
            return True
        if bb and bb[0] // UNIT <= u < (bb[0] + bb[1]) // UNIT:
            return full or u < bb[0] // UNIT + KEEP_UNITS
        return False
    add("inspect", name, sparse(img, keep_image))
    # gpt: LBA 0, the primary GPT and the backup
    add("gpt", name, sparse(img, lambda u: u < head or u >= tail, flags))
    if gpt_variants and img[ss:ss + 8] == b"EFI PART":
        bad = bytearray(img)
        bad[ss:2 * ss] = bytes(ss)                     # primary header gone: the backup is used
        add("gpt", name + "-no-primary", sparse(bad, lambda u: u < head or u >= tail, flags))
        bad = bytearray(img)
        bad[2 * ss + 5] ^= 0xFF                        # entry array CRC wrong
        add("gpt", name + "-bad-entries", sparse(bad, lambda u: u < head or u >= tail, flags))
    # the files mkimage installed, for the file-level targets
    for path, target in (("/BOOT/BOOT.CFG", "bootcfg"),):
        got = fat.file(path)
        if got:
            add(target, name, got[2])
    return fat


def build_images(tmp, kernel):
    k = ["--kernel", kernel]
    bios = ["--stage1", os.path.join(B, "bios", "stage1.bin"), "--stage2", os.path.join(B, "bios", "stage2.bin")]
    efi = ["--efi", os.path.join(B, "uefi", "BOOTX64.EFI")]
    efi32 = ["--efi32", os.path.join(B, "uefi32", "BOOTIA32.EFI")]
    longf = os.path.join(tmp, "long.txt")
    with open(longf, "w") as f:
        f.write("a file with a long name\n" * 40)
    mod = os.path.join(tmp, "initrd.img")
    with open(mod, "wb") as f:
        f.write(bytes(range(256)) * 8)
    names = ["--file", longf + "=/docs/A file with a rather long name, more than 13 units.txt",
             "--file", longf + "=/docs/kérnel-ünïcode-名前.txt",
             "--file", longf + "=/docs/UPPER.TXT",
             "--file", longf + "=/docs/lower.txt",
             "--file", longf + "=/docs/Mixed.Case.Name.txt"]
    many = []
    for i in range(40):      # a directory over several clusters
        many += ["--file", longf + "=/many/entry number %03d with a long name.txt" % i]
    images = [
        ("hybrid-fat12-2m", ["--size", "2M", "--fat", "12", "--cmdline", "test"] + bios + efi + efi32, True),
        ("hybrid-fat16-16m", ["--size", "16M", "--fat", "16", "--cmdline", "console=ttyS0 quiet",
                              "--resolution", "1024x768", "--module", mod + "=initrd root=/dev/ram0"] + bios + efi,
         False),
        ("protective-fat32-64m", ["--size", "64M", "--fat", "32", "--mbr", "protective"] + bios + efi + names,
         False),
        ("mbr-only-fat16-8m", ["--size", "8M", "--mbr", "mbr-only", "--esp-mbr-type", "0c"] + bios + efi, False),
        ("uefi-only-2m", ["--size", "2M"] + efi + names, False),
        ("bios-only-2m", ["--size", "2M"] + bios, False),
        ("4kn-8m", ["--size", "8M", "--sector-size", "4096"] + bios + efi + efi32, True),
        ("long-names-4m", ["--size", "4M", "--fat", "12"] + efi + names + many, False),
    ]
    for name, args, full in images:
        img = mkimage(tmp, name, k + args)
        image_seeds(name, img, full)
    # fragmented: the kernel's clusters stored back to front
    img = mkimage(tmp, "fragmented", k + ["--size", "4M", "--fat", "16"] + bios + efi)
    off, length = esp_range(img)
    vol = img[off:off + length]
    Fat(vol).reverse_chain("/BOOT/KERNEL.ELF")
    img[off:off + length] = vol
    image_seeds("fragmented-fat16-4m", img, False, gpt_variants=False)


# ---- file-level targets ------------------------------------------------------------

def file_seeds(kernel):
    def read(*p):
        with open(os.path.join(*p), "rb") as f:
            return f.read()
    add("elf", "kernel-stripped", read(kernel))
    add("pe", "bootx64", read(B, "uefi", "BOOTX64.EFI"))
    add("pe", "bootia32", read(B, "uefi32", "BOOTIA32.EFI"))
    add("stage", "stage1", read(B, "bios", "stage1.bin"))
    add("stage", "stage2", read(B, "bios", "stage2.bin"))

    # boot.cfg: the forms the parser must take (issue 15's fault tolerance list)
    base = b"kernel=/boot/kernel.elf\ncmdline=test\nresolution=1024x768\n"
    add("bootcfg", "crlf", base.replace(b"\n", b"\r\n"))
    add("bootcfg", "bom", b"\xef\xbb\xbf" + base)
    add("bootcfg", "no-final-newline", base.rstrip(b"\n"))
    add("bootcfg", "trailing-spaces", b"kernel = /boot/kernel.elf   \n  cmdline=  a b  \t\n")
    add("bootcfg", "modules", base + b"module=/boot/initrd.img\nmodule_string=initrd\nmodule_sha256=" +
        b"ab" * 32 + b"\nmodule=/boot/two\nverbose=1\nbench_raw_read=1\n")
    add("bootcfg", "hash-comment", b"# a comment\n\nkernel_sha256=" + b"0f" * 32 + b"\nunknown_key=x\n")
    add("bootcfg", "bad-line", b"kernel=/boot/k\xc3\xa9rnel.elf\nno equals sign\ncmdline=x\n")

    # UTF-8 / FAT names
    for i, s in enumerate([b"k\xc3\xa9rnel.elf", "名前.txt".encode(), b"\xf0\x9f\x98\x80 emoji",
                           b"\xc0\xaf overlong", b"\xed\xa0\x80 surrogate", b"KERNEL  ELF",
                           b"A file with a rather long name.txt", b"..dots. and spaces .",
                           "ünïcode".encode("utf-16-le")]):
        add("utf8", "name%d" % i, s)

    # memory maps: a QEMU-like E820 and an OVMF-like EFI map
    e820 = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2), (0x100000, 0x7ee0000, 1),
            (0x7fe0000, 0x20000, 2), (0xfeffc000, 0x4000, 2), (0xfffc0000, 0x40000, 2),
            (0x100000000, 0x40000000, 1), (0xfd00000000, 0x300000000, 2)]
    add("memmap", "e820", b"\x00" + b"".join(struct.pack("<QQII", b_, l, t, 1) for b_, l, t in e820))
    efi = [(7, 0, 0x9f, 0xf), (6, 0x9f000, 1, 1 << 63 | 0xf), (7, 0x100000, 0x700, 0xf), (10, 0x800000, 8, 0xf),
           (4, 0x808000, 0x10, 0xf), (3, 0x900000, 0x100, 0xf), (2, 0x1000000, 0x80, 0xf),
           (9, 0x7f000000, 0x20, 0xf), (5, 0x7f800000, 0x40, 1 << 63 | 0xf), (11, 0xffc00000, 0x400, 1 << 63)]
    add("memmap", "efi", b"\x01\x01" + b"".join(struct.pack("<IIQQQQQ", t, 0, b_, 0, p, a, 0)
                                                for t, b_, p, a in efi))
    efi40 = b"\x01\x00" + b"".join(struct.pack("<IIQQQQ", t, 0, b_, 0, p, a) for t, b_, p, a in efi)
    add("memmap", "efi-desc40", efi40)

    # firmware tables
    def fix_sum(b_, n, at):
        b_[at] = (-sum(b_[:n]) + b_[at]) & 0xFF
    r = bytearray(b"RSD PTR " + bytes(1) + b"BOCHS " + bytes([2]) + bytes(4) + struct.pack("<I", 36) +
                  bytes(8) + bytes(4))
    fix_sum(r, 20, 8)
    fix_sum(r, 36, 32)
    add("fwtables", "rsdp2", b"\x00" + r)
    sm2 = bytearray(b"_SM_" + bytes([0, 0x1f, 2, 8]) + bytes(8) + b"_DMI_" + bytes(1) + struct.pack("<HIHB", 0x100, 0xf0100, 9, 0x28))
    fix_sum(sm2, 0x1f, 4)
    sm2[0x15] = 0
    sm2[0x15] = (-sum(sm2[0x10:0x1f])) & 0xFF
    add("fwtables", "smbios2", b"\x01" + sm2)
    sm3 = bytearray(b"_SM3_" + bytes([0, 0x18, 3, 0, 0, 1, 0]) + struct.pack("<IQ", 0x200, 0xf0100))
    fix_sum(sm3, 0x18, 5)
    add("fwtables", "smbios3", b"\x01" + sm3)
    add("fwtables", "smbios-scan", b"\x02" + bytes(16) + sm2 + bytes(32 - len(sm2) % 16) + sm3)
    edid = bytearray(b"\x00\xff\xff\xff\xff\xff\xff\x00" + bytes(120))
    edid[18], edid[19] = 1, 4
    edid[54:56] = struct.pack("<H", 6500)
    edid[56], edid[58] = 0x00, 0x40       # 1024 wide
    edid[59], edid[61] = 0x00, 0x30       # 768 high
    edid[127] = (-sum(edid[:127])) & 0xFF
    add("fwtables", "edid", b"\x03" + edid)
    st = bytearray(struct.pack("<QIII", 0x5453595320494249, 0x20046, 120, 0) + bytes(96))
    struct.pack_into("<I", st, 16, zlib.crc32(bytes(st)))
    add("fwtables", "efi-st", b"\x04" + st)
    add("fwtables", "efi-mmap", b"\x05\x06\x01" + b"".join(struct.pack("<IIQQQQQ", t, 0, b_, 0, p, a, 0)
                                                          for t, b_, p, a in efi))


def main():
    if not os.access(MKIMAGE, os.X_OK):
        sys.exit("seeds.py: build mkimage first (make build/mkimage/mkimage)")
    tmp = tempfile.mkdtemp(prefix="hyboot-seeds.")
    try:
        kernel = os.path.join(tmp, "kernel.elf")
        subprocess.run(["strip", "-o", kernel, os.path.join(B, "kernel", "kernel.elf")], check=True)
        build_images(tmp, kernel)
        file_seeds(kernel)
    finally:
        shutil.rmtree(tmp)
    total = 0
    for target in sorted(seeds):
        d = os.path.join(CORPUS, target)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.startswith("seed-"):
                os.unlink(os.path.join(d, old))
        for name, data in sorted(seeds[target].items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            total += len(data)
        print("%-9s %3d seeds, %7d bytes" % (target, len(seeds[target]), sum(map(len, seeds[target].values()))))
    print("total %d bytes" % total)


if __name__ == "__main__":
    main()

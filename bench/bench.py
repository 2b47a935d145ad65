#!/usr/bin/env python3
"""hyboot benchmarks (make bench): prints a table and writes bench/results.json.

1. image build: mkimage vs bench/stdtools.sh (sfdisk + mkfs.fat + mtools + dd),
   alternating A/B, medians, ratio, bytes allocated (du).
2. boot time under QEMU (TCG unless ACCEL=kvm), same settings for all:
   the firmware floor (an MBR / BOOTX64.EFI that exits at once), GRUB
   (grub-mkrescue + a multiboot2 hello kernel) and hyboot (disk.img with
   cmdline "bench": the kernel exits right after "Hello World!"), per
   firmware, runs interleaved; medians; overhead above the floor and ratio.
   The floor is measured on each contender's own disk layout (the floor
   MBR code / floor BOOTX64.EFI put into a copy of GRUB's image and of
   hyboot's), because OVMF's time to find and start BOOTX64.EFI depends on
   the layout: each loader's overhead is its image minus its own floor.
3. inside the boot, from boot_info's TSC stamps (tsc_hz measured by the
   loader against the PIT): loader time entry->jump per firmware, and the
   BIOS kernel-read throughput for 1/8/32 MiB kernels next to the raw-read
   baseline that stage2 measures when boot.cfg says bench_raw_read=1: it
   reads the same number of sectors from the start of the ESP with the same
   bounce-buffer code, without FAT or ELF work, before loading the kernel.
"""
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.join(TOP, "build")
MKIMAGE = os.path.join(B, "mkimage", "mkimage")
RUNS = int(os.environ.get("RUNS") or 10)      # (make exports RUNS, empty when unset)
ONLY = os.environ.get("BENCH_ONLY", "")    # "boot": image build and boot time only
ACCEL = os.environ.get("ACCEL") or "tcg"
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
W = tempfile.mkdtemp(prefix="hyboot-bench.")
ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "0"))


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw).stdout


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def du_bytes(path):
    return int(sh("du", "-B1", path).split()[0])


# ---------------------------------------------------------------- image build
def bench_image():
    k = os.path.join(B, "kernel", "kernel.elf")
    efi = os.path.join(B, "uefi", "BOOTX64.EFI")
    s1 = os.path.join(B, "bios", "stage1.bin")
    s2 = os.path.join(B, "bios", "stage2.bin")
    a_out, b_out = os.path.join(W, "a.img"), os.path.join(W, "b.img")
    ta, tb = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        sh(MKIMAGE, "-c", os.path.join(TOP, "images", "disk.conf"), "-o", a_out)
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sh(os.path.join(TOP, "bench", "stdtools.sh"), b_out, k, efi, s1, s2, "64")
        tb.append(time.perf_counter() - t0)
    r = {
        "runs": RUNS,
        "mkimage_median_s": med(ta), "stdtools_median_s": med(tb),
        "ratio_stdtools_over_mkimage": med(tb) / med(ta),
        "mkimage_du_bytes": du_bytes(a_out), "stdtools_du_bytes": du_bytes(b_out),
    }
    # the standard-tools image must be a real one: check it like ours
    sh("sgdisk", "-v", b_out)
    return r


# ---------------------------------------------------------------- boot images
def build_boot_images():
    imgs = {}
    grubdir = os.path.join(W, "grub")
    os.makedirs(os.path.join(grubdir, "boot", "grub"))
    shutil.copy(os.path.join(TOP, "bench", "grub", "grub.cfg"), os.path.join(grubdir, "boot", "grub"))
    shutil.copy(os.path.join(B, "bench", "hello.elf"), os.path.join(grubdir, "boot"))
    grub = os.path.join(W, "grub.img")
    sh("grub-mkrescue", "-o", grub, grubdir)
    imgs["grub", "bios"] = imgs["grub", "uefi"] = grub

    hy = os.path.join(W, "hyboot.img")
    sh(MKIMAGE, "-c", os.path.join(TOP, "images", "disk.conf"), "--cmdline", "bench", "-o", hy)
    imgs["hyboot", "bios"] = imgs["hyboot", "uefi"] = hy

    # floors: each layout with boot code that exits at once
    floor_mbr = os.path.join(W, "floor-mbr.bin")
    sh("nasm", "-f", "bin", os.path.join(TOP, "bench", "floor", "mbr.asm"), "-o", floor_mbr)
    code = open(floor_mbr, "rb").read()[:440]
    floor_efi = os.path.join(B, "bench", "floor.efi")
    for who, src in (("hyboot", hy), ("grub", grub)):
        bios = os.path.join(W, f"floor-{who}-bios.img")
        shutil.copy(src, bios)
        with open(bios, "r+b") as f:
            f.write(code)
        imgs["floor-" + who, "bios"] = bios
        uefi = os.path.join(W, f"floor-{who}-uefi.img")
        shutil.copy(src, uefi)
        off = esp_offset(uefi)
        path = "::/EFI/BOOT/BOOTX64.EFI"
        sh("mcopy", "-o", "-i", f"{uefi}@@{off}", floor_efi, path)
        imgs["floor-" + who, "uefi"] = uefi

    for mib in (1, 8, 32):
        p = os.path.join(W, f"pad{mib}.img")
        sh(MKIMAGE, "-c", os.path.join(TOP, "images", "disk.conf"), "--cmdline", "bench",
           "--kernel", os.path.join(B, "kernel", f"kernel-pad{mib}.elf"), "--size", "128M", "-o", p)
        # ask stage2 for the raw-read baseline, the way a user edits boot.cfg
        cfg = sh("mtype", "-i", p + "@@1M", "::/boot/boot.cfg").decode().replace("\r", "")
        with open(os.path.join(W, "boot.cfg"), "w") as f:
            f.write(cfg + ("" if cfg.endswith("\n") else "\n") + "bench_raw_read=1\n")
        sh("mcopy", "-o", "-i", p + "@@1M", os.path.join(W, "boot.cfg"), "::/boot/boot.cfg")
        imgs[f"pad{mib}", "bios"] = imgs[f"pad{mib}", "uefi"] = p

    # a 256 MiB module (random bytes: nothing to gain from holes) next to
    # the default kernel, to compare module and kernel read throughput
    big = os.path.join(W, "module256.bin")
    with open(big, "wb") as f:
        f.write(os.urandom(256 << 20))
    p = os.path.join(W, "module256.img")
    sh(MKIMAGE, "-c", os.path.join(TOP, "images", "disk.conf"), "--cmdline", "bench", "--size", "320M",
       "--module", big + "=initrd", "-o", p)
    os.unlink(big)
    imgs["module256", "bios"] = imgs["module256", "uefi"] = p
    return imgs


def esp_offset(img):
    """Byte offset of the ESP (GPT type C12A7328-...) in an image, via sfdisk."""
    for line in sh("sfdisk", "-d", img).decode().splitlines():
        if "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" in line.upper():
            return int(re.search(r"start=\s*(\d+)", line).group(1)) * 512
    raise RuntimeError(f"{img}: no ESP")


# OVMF prints this on the serial console when it starts the boot option:
# everything before it is firmware initialisation, the same for every
# image and the noisiest part of a TCG boot (seconds, +-0.5 s here).
HANDOFF_MARK = b"BdsDxe: starting "


def boot(img, fw, timeout=300):
    """One boot. Returns (wall seconds, seconds from OVMF's handoff line to
    QEMU's exit or None, serial text). Raises on a wrong exit status."""
    cmd = ["qemu-system-x86_64", "-machine", "q35", "-accel", ACCEL, "-m", "512M",
           "-display", "none", "-no-reboot", "-net", "none", "-vga", "std",
           "-serial", "stdio", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-drive", f"file={img},format=raw,snapshot=on,if=none,id=d0",
           "-device", "ide-hd,drive=d0,bus=ide.0,bootindex=0"]
    if fw == "uefi":
        vars_copy = os.path.join(W, "vars.fd")
        shutil.copy(OVMF_VARS, vars_copy)
        cmd += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
    t0 = time.perf_counter()
    t_mark = None
    out = bytearray()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # serial bytes arrive as the guest writes them: stamp the handoff line
        while True:
            chunk = p.stdout.read1(65536)
            if not chunk:
                break
            out += chunk
            if t_mark is None and HANDOFF_MARK in out:
                t_mark = time.perf_counter()
        rc = p.wait(timeout=timeout)
    finally:
        if p.poll() is None:
            p.kill()
    t_end = time.perf_counter()
    serial = out.decode(errors="replace")
    if rc != 33:
        raise RuntimeError(f"{img} ({fw}): exit status {rc}, wanted 33\n"
                           f"command: {' '.join(cmd)}\nserial tail:\n{serial[-1500:]}")
    return t_end - t0, (t_end - t_mark) if t_mark else None, serial


TIMING_RE = re.compile(r"hyboot: timing (.*)")


def parse_timing(serial):
    m = TIMING_RE.search(serial)
    if not m:
        return None
    return {k: int(v) for k, v in (kv.split("=", 1) for kv in m.group(1).split()) if v.lstrip("-").isdigit()}


KEXIT_RE = re.compile(r"hyboot: bench kernel_exit=(\d+)")
RAW_RE = re.compile(r"hyboot: raw read (\d+) sectors in (\d+) ticks \((\d+) calls\)")
MODULE_RE = re.compile(r"hyboot: module (\S+): (\d+) bytes at 0x[0-9a-f]+ in (\d+) ms")


def bench_boot(imgs):
    res = {}
    for fw in ("bios", "uefi"):
        times = {"floor-grub": [], "grub": [], "floor-hyboot": [], "hyboot": []}
        after = {w: [] for w in times}     # UEFI: from OVMF's handoff line to exit
        loader_ms, kernel_ms = [], []
        for _ in range(RUNS):
            for what in times:
                dt, dh, serial = boot(imgs[what, fw], fw)
                times[what].append(dt)
                if dh is not None:
                    after[what].append(dh)
                if what == "hyboot":
                    t = parse_timing(serial)
                    if t and t.get("tsc_hz"):
                        start = t["handoff"] if fw == "bios" and t.get("handoff") else t["entry"]
                        loader_ms.append((t["jump"] - start) * 1000.0 / t["tsc_hz"])
                        m = KEXIT_RE.search(serial)
                        if m and t.get("kernel_entry"):
                            kernel_ms.append((int(m.group(1)) - t["kernel_entry"]) * 1000.0 / t["tsc_hz"])
        r = {w: med(v) for w, v in times.items()}
        if fw == "uefi":
            # overhead from the handoff line: firmware init noise excluded
            a = {w: med(v) for w, v in after.items()}
            r["after_handoff"] = a
            r["grub_overhead_s"] = a["grub"] - a["floor-grub"]
            r["hyboot_overhead_s"] = a["hyboot"] - a["floor-hyboot"]
            r["wall_grub_overhead_s"] = r["grub"] - r["floor-grub"]
            r["wall_hyboot_overhead_s"] = r["hyboot"] - r["floor-hyboot"]
        else:
            r["grub_overhead_s"] = r["grub"] - r["floor-grub"]
            r["hyboot_overhead_s"] = r["hyboot"] - r["floor-hyboot"]
        r["overhead_ratio_hyboot_over_grub"] = r["hyboot_overhead_s"] / r["grub_overhead_s"]
        r["loader_ms_median"] = med(loader_ms)
        # The test kernel's own time (screen set-up, its lines) is in
        # hyboot's overhead; GRUB's hello kernel only writes to the serial
        # port. Reported beside the ratio, never folded into it.
        r["kernel_ms_median"] = med(kernel_ms)
        r["overhead_ratio_without_kernel"] = ((r["hyboot_overhead_s"] - med(kernel_ms) / 1000.0) /
                                              r["grub_overhead_s"]) if kernel_ms else None
        r["runs"] = RUNS
        res[fw] = r
    return res


def bench_kernel_size(imgs):
    """Boot time and read throughput per kernel size."""
    sizes = {}
    for mib in (1, 8, 32):
        for fw in ("bios", "uefi"):
            walls, thr, raw_thr, loader = [], [], [], []
            calls = raw_calls = None
            for _ in range(max(3, RUNS // 2)):
                dt, _, serial = boot(imgs[f"pad{mib}", fw], fw)
                walls.append(dt)
                t = parse_timing(serial)
                if t and t.get("tsc_hz") and t.get("read_ticks"):
                    thr.append(t["kernel_bytes"] / (t["read_ticks"] / t["tsc_hz"]) / 2**20)
                    loader.append((t["jump"] - t["entry"]) * 1000.0 / t["tsc_hz"])
                    calls = t.get("read_calls")
                    m = RAW_RE.search(serial)
                    if m and int(m.group(2)):
                        secs, ticks, raw_calls = int(m.group(1)), int(m.group(2)), int(m.group(3))
                        raw_thr.append(secs * 512 / (ticks / t["tsc_hz"]) / 2**20)
            sizes[f"{mib}MiB-{fw}"] = {
                "boot_s": med(walls), "loader_ms": med(loader),
                "read_MiBps": med(thr), "read_calls": calls,
                "raw_read_MiBps": med(raw_thr) if raw_thr else None, "raw_read_calls": raw_calls,
            }
    return sizes


def bench_modules(imgs, sizes):
    """The 256 MiB module's read, from the loader's line, against the
    32 MiB kernel's read in the same firmware."""
    mods = {}
    for fw in ("bios", "uefi"):
        thr, walls = [], []
        for _ in range(3):
            dt, _, serial = boot(imgs["module256", fw], fw, timeout=900)
            walls.append(dt)
            m = MODULE_RE.search(serial)
            if m and int(m.group(3)):
                thr.append(int(m.group(2)) / (int(m.group(3)) / 1000.0) / 2**20)
        k = sizes[f"32MiB-{fw}"]["read_MiBps"]
        mods[fw] = {"module_MiB": 256, "boot_s": med(walls), "module_read_MiBps": med(thr),
                    "kernel32_read_MiBps": k, "module_over_kernel": med(thr) / k if k else None}
    return mods


def main():
    t_all = time.perf_counter()
    hdr = (f"hyboot bench: {platform.node()} {platform.processor() or platform.machine()}, "
           f"{os.cpu_count()} cpus, accel={ACCEL} (ACCEL=kvm where KVM works), runs={RUNS}")
    print(hdr, flush=True)
    out = {"machine": hdr, "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    try:
        out["image"] = im = bench_image()
        print("\n== image build (64M default image), median of %d, alternating" % RUNS)
        print(f"  mkimage            {im['mkimage_median_s']*1000:9.1f} ms   {im['mkimage_du_bytes']/1024:8.0f} KiB on disk")
        print(f"  standard tools     {im['stdtools_median_s']*1000:9.1f} ms   {im['stdtools_du_bytes']/1024:8.0f} KiB on disk")
        print(f"  ratio              {im['ratio_stdtools_over_mkimage']:9.1f} x faster")

        imgs = build_boot_images()
        out["boot"] = bo = bench_boot(imgs)
        print("\n== boot to exit, median of %d, interleaved; BIOS: QEMU wall time; UEFI: from OVMF's"
              " 'BdsDxe: starting' line to exit (wall time in the second table)" % RUNS)
        print(f"  {'fw':5} {'GRUB floor':>10} {'GRUB':>8} {'hyb floor':>10} {'hyboot':>8} {'GRUB-floor':>11} {'hyboot-floor':>13} {'ratio':>7} {'loader':>9}")
        for fw in ("bios", "uefi"):
            r = bo[fw]
            v = r.get("after_handoff", r)
            print(f"  {fw:5} {v['floor-grub']:10.3f} {v['grub']:8.3f} {v['floor-hyboot']:10.3f} {v['hyboot']:8.3f} {r['grub_overhead_s']:11.3f} "
                  f"{r['hyboot_overhead_s']:13.3f} {r['overhead_ratio_hyboot_over_grub']:7.3f} {r['loader_ms_median']:7.1f}ms")
        r = bo["uefi"]
        print(f"  uefi wall time, whole boot: GRUB floor {r['floor-grub']:.3f}  GRUB {r['grub']:.3f}  "
              f"hyboot floor {r['floor-hyboot']:.3f}  hyboot {r['hyboot']:.3f}  (firmware init dominates and varies)")
        for fw in ("bios", "uefi"):
            r = bo[fw]
            if r["overhead_ratio_without_kernel"] is not None:
                print(f"  {fw}: the test kernel's own time, entry to exit: {r['kernel_ms_median']:.1f} ms "
                      f"(in hyboot's overhead above; without it the ratio would be {r['overhead_ratio_without_kernel']:.3f})")
        sys.stdout.flush()
        if ONLY == "boot":
            return 0
        # each section printed as it ends: a failure later keeps what was measured
        bo["kernel_size"] = bench_kernel_size(imgs)
        print("\n== kernel size (bench cmdline; read = FAT+ELF path, raw = same sectors, same stage2, no FAT/ELF)")
        print(f"  {'kernel':14} {'boot s':>7} {'loader ms':>10} {'read MiB/s':>11} {'calls':>6} {'raw MiB/s':>10} {'raw calls':>10} {'read/raw':>9}")
        for k, r in bo["kernel_size"].items():
            raw = r["raw_read_MiBps"]
            pct = f"{r['read_MiBps'] / raw * 100:.0f}%" if raw else "n/a"
            print(f"  {k:14} {r['boot_s']:7.3f} {r['loader_ms']:10.1f} {r['read_MiBps']:11.1f} {str(r['read_calls']):>6} "
                  f"{(f'{raw:.1f}' if raw else 'n/a'):>10} {str(r['raw_read_calls']):>10} "
                  f"{pct:>9}")
        sys.stdout.flush()
        bo["modules"] = bench_modules(imgs, bo["kernel_size"])
        print("\n== module load (256 MiB module; read throughput from the loader's module line, median of 3)")
        print(f"  {'fw':5} {'boot s':>7} {'module MiB/s':>13} {'32 MiB kernel MiB/s':>20} {'module/kernel':>14}")
        for fw, r in bo["modules"].items():
            ratio = r["module_over_kernel"]
            print(f"  {fw:5} {r['boot_s']:7.2f} {r['module_read_MiBps']:13.1f} {r['kernel32_read_MiBps']:20.1f} "
                  f"{(f'{ratio:.2f}' if ratio else 'n/a'):>14}")
    finally:
        out["total_s"] = time.perf_counter() - t_all
        with open(os.path.join(TOP, "bench", "results.json"), "w") as f:
            json.dump(out, f, indent=2)
        shutil.rmtree(W, ignore_errors=True)
    print(f"\nwrote bench/results.json ({out['total_s']:.0f}s)")


if __name__ == "__main__":
    sys.exit(main())

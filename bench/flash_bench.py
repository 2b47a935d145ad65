#!/usr/bin/env python3
"""Writing a stick: mkimage --write-device against dd (make bench; root).

A loop device stands in for the stick. For each image, runs alternate
between
  mkimage --write-device LOOP --yes --allow-fixed IMAGE   (writes, flushes,
      reads back, verifies, prints the --inspect report)
  dd if=IMAGE of=LOOP bs=4M conv=fsync                     (writes, flushes)
with the loop device's cache dropped (BLKFLSBUF) before each run; medians.
Images: the default 64 MiB disk.img (sparse: 2.2 MiB of data), and a
64 MiB image whose ESP holds a 56 MiB file of random bytes, where both
write nearly everything, so the write rates compare the I/O paths.
The loop device sits on a file in the page cache, so it is far faster than
a stick; when cgroup v1 blkio throttling is available the sparse image is
also written through a 20 MB/s write limit on the loop device, a model of
a plain USB 2.0/3.0 stick (buffered writeback is throttled where fsync
submits it, so dd is limited too).

Prints a table and writes bench/results-flash.json.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MKIMAGE = os.path.join(TOP, "build", "mkimage", "mkimage")
IMG = os.path.join(TOP, "images", "disk.img")
RUNS = int(os.environ.get("RUNS") or 7)
CG = "/sys/fs/cgroup/blkio/hyboot-flash-bench"
WROTE = re.compile(r"wrote .* in ([0-9.]+) s \(([0-9.]+) MiB/s\), flushed; read back (\d+) bytes and verified in ([0-9.]+) s")


def med(xs):
    return statistics.median(xs)


def run(cmd, cgroup=False):
    pre = None
    if cgroup:
        def pre():
            with open(os.path.join(CG, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=pre)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: status {p.returncode}: {p.stdout.decode()[-500:]}")
    return t, p.stdout.decode()


def bench(loop, image, cgroup=False):
    mk_wall, mk_write, mk_rate, dd_wall = [], [], [], []
    size = os.path.getsize(image)
    for _ in range(RUNS):
        subprocess.run(["blockdev", "--flushbufs", loop], check=True)
        t, out = run([MKIMAGE, "--write-device", loop, "--yes", "--allow-fixed", image], cgroup)
        m = WROTE.search(out)
        mk_wall.append(t)
        mk_write.append(float(m.group(1)))
        mk_rate.append(float(m.group(2)))
        subprocess.run(["blockdev", "--flushbufs", loop], check=True)
        t, _ = run(["dd", f"if={image}", f"of={loop}", "bs=4M", "conv=fsync", "status=none"], cgroup)
        dd_wall.append(t)
    return {
        "runs": RUNS,
        "mkimage_total_s": med(mk_wall),            # write + verify + inspect
        "mkimage_write_s": med(mk_write),           # write + flush only
        "mkimage_write_MiBps": med(mk_rate),
        "dd_s": med(dd_wall),
        "dd_MiBps": size / 1048576 / med(dd_wall),
        "ratio_dd_over_mkimage_total": med(dd_wall) / med(mk_wall),
    }


def main():
    if os.geteuid() != 0 or not shutil.which("losetup"):
        print("flash bench: needs root and losetup; skipped")
        return 0
    w = tempfile.mkdtemp(prefix="hyboot-flash-bench.")
    loop = None
    out = {}
    try:
        backing = os.path.join(w, "stick.img")
        with open(backing, "wb") as f:
            f.truncate(256 << 20)
        loop = subprocess.run(["losetup", "-f", "--show", backing], check=True,
                              stdout=subprocess.PIPE).stdout.decode().strip()
        blob = os.path.join(w, "random.bin")
        with open(blob, "wb") as f:
            f.write(os.urandom(56 << 20))
        dense = os.path.join(w, "dense.img")
        subprocess.run([MKIMAGE, "-c", os.path.join(TOP, "images", "disk.conf"), "-o", dense,
                        "--file", f"{blob}=/data/random.bin"], check=True)
        print(f"\n== writing a stick: loop device on a file, 256 MiB; median of {RUNS}, alternating")
        print(f"  {'image':34} {'mkimage total':>13} {'mk write':>9} {'mk MiB/s':>9} {'dd':>8} {'dd MiB/s':>9} {'dd/mk total':>11}")
        cases = [("disk.img (64 MiB, 2.2 MiB data)", IMG, False), ("64 MiB, a 56 MiB file on the ESP", dense, False)]
        throttled = False
        try:
            os.makedirs(CG, exist_ok=True)
            with open(os.path.join(CG, "blkio.throttle.write_bps_device"), "w") as f:
                f.write(open(f"/sys/block/{os.path.basename(loop)}/dev").read().strip() + " 20971520")
            throttled = True
            cases.append(("disk.img, 20 MB/s stick model", IMG, True))
        except OSError as e:
            print(f"  (no cgroup v1 blkio throttling here ({e.strerror}); the slow-stick model is skipped)")
        for name, image, cg in cases:
            r = bench(loop, image, cg)
            out[name] = r
            print(f"  {name:34} {r['mkimage_total_s']*1000:10.1f} ms {r['mkimage_write_s']*1000:6.1f} ms"
                  f" {r['mkimage_write_MiBps']:9.1f} {r['dd_s']*1000:5.0f} ms {r['dd_MiBps']:9.1f} "
                  f"{r['ratio_dd_over_mkimage_total']:10.1f}x", flush=True)
        if throttled:
            print("  (mkimage total = write + flush + read-back + --inspect; dd = write + fsync, no check)")
    finally:
        if loop:
            subprocess.run(["losetup", "-d", loop])
        if os.path.isdir(CG):
            try:
                os.rmdir(CG)
            except OSError:
                pass
        shutil.rmtree(w, ignore_errors=True)
    with open(os.path.join(TOP, "bench", "results-flash.json"), "w") as f:
        json.dump(out, f, indent=2)
    print("wrote bench/results-flash.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# mkimage --write-device, with loop devices standing in for USB sticks.
#
# What a loop device cannot be (removable, on USB, held by LVM, the disk
# of /) is said through a small fake sysfs or /proc tree that mkimage reads
# instead of the real one (HYBOOT_SYSFS_ROOT, HYBOOT_PROC_ROOT: test
# hooks, the same files read under another root). Everything else is real:
# real loop devices, a real mount, real swap, a real tmpfs running out of
# space, real sgdisk/fsck.fat/blkid/cmp, real QEMU boots of what was
# written. Two more test hooks make the timing-dependent cases
# deterministic: HYBOOT_FLASH_STOP_AFTER (the write waits for a signal at a
# known point) and HYBOOT_FLASH_CORRUPT_AT (one byte changed between the
# write and the read-back).
#
# Needs root and losetup; without them the suite says so and is skipped.
source "$(dirname "$0")/../lib.sh"

[ -x "$MKIMAGE" ] || { fail "mkimage built" "$MKIMAGE missing"; finish; }
[ -f "$IMG" ] || { fail "image built" "$IMG missing"; finish; }
# usage errors need no device: status 2, one line, before anything is opened
usage_error() { # NAME ARGS...
  local name=$1 rc; shift
  "$MKIMAGE" "$@" > "$T/out" 2> "$T/err" < /dev/null; rc=$?
  if [ "$rc" -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q '^mkimage: error: command line: ' "$T/err"; then pass "$name"
  else fail "$name" "rc=$rc: $(cat "$T/err")"; fi
}
usage_error "usage: --yes without --write-device" --yes "$IMG"
usage_error "usage: --write-device with -o" --write-device /dev/null -o "$T/x.img" "$IMG"
usage_error "usage: --write-device with an image and a recipe" --write-device /dev/null -c "$TOP/images/disk.conf" "$IMG"
usage_error "usage: --write-device without an image" --write-device /dev/null
usage_error "usage: --write-device with two images" --write-device /dev/null "$IMG" "$IMG"

if [ "$(id -u)" -ne 0 ] || ! command -v losetup >/dev/null; then
  echo "note: tests/flash needs root and losetup (loop devices); skipped here"; exit 0
fi
truncate -s 1M "$T/probe.img"
if ! probe=$(losetup -f --show "$T/probe.img" 2>"$T/probe.err"); then
  echo "note: losetup cannot attach a loop device here ($(cat "$T/probe.err")); flash tests skipped"; exit 0
fi
losetup -d "$probe"

LOOPS=() MOUNTED= SWAPPED= TMPFS=
cleanup() {
  [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
  [ -n "$SWAPPED" ] && swapoff "$SWAPPED" 2>/dev/null
  local l
  for l in "${LOOPS[@]}"; do [ -n "$l" ] && losetup -d "$l" 2>/dev/null; done
  [ -n "$TMPFS" ] && { umount "$TMPFS" 2>/dev/null || umount -l "$TMPFS"; }
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# newloop VAR FILE [losetup options]: attach FILE, its device in VAR
# (not through $(...): the clean-up list must be this shell's)
newloop() {
  local var=$1 f=$2 l; shift 2
  l=$(losetup -f --show -P "$@" "$f") || return 1
  LOOPS=("$l" "${LOOPS[@]}")        # newest first: stacked loops go before their base
  printf -v "$var" '%s' "$l"
}
# droploop DEV: detach DEV now
droploop() {
  local l keep=()
  losetup -d "$1"
  for l in "${LOOPS[@]}"; do [ "$l" = "$1" ] || keep+=("$l"); done
  LOOPS=("${keep[@]}")
}
# fill FILE SIZE_MiB: a used stick: every byte 0xFF
fill() { rm -f "$1"; tr '\0' '\377' < /dev/zero | head -c "$(( $2 << 20 ))" > "$1"; }
# partitions_up LOOP: partition nodes, also on kernels that cannot parse
# the table themselves (partx reads it and tells the kernel)
partitions_up() {
  [ -e "$1p1" ] || partx -a "$1" 2>/dev/null
  udevadm settle 2>/dev/null || true
  [ -e "$1p1" ]
}
rel_link() { mkdir -p "$(dirname "$2")"; ln -sfn "$(realpath -m --relative-to="$(dirname "$2")" "$1")" "$2"; }

# fake_sysfs ROOT LOOP usb|fixed [REMOVABLE]: a sysfs tree in which LOOP
# (its real dev numbers, size, partitions) sits below a USB interface, or
# in its usual place.
fake_sysfs() {
  local root=$1 dev=$2 kind=$3 rm=${4:-0} name real dir p pn
  name=${dev#/dev/} real=/sys/block/${dev#/dev/}
  rm -rf "$root"; mkdir -p "$root/bus/usb" "$root/bus/scsi" "$root/dev/block"
  if [ "$kind" = usb ]; then
    local usb=$root/devices/pci0000:00/0000:00:14.0/usb2/2-1 sd
    sd=$usb/2-1:1.0/host9/target9:0:0/9:0:0:0
    dir=$sd/block/$name
    mkdir -p "$dir"
    rel_link "$root/bus/usb" "$usb/subsystem"
    rel_link "$root/bus/usb" "$usb/2-1:1.0/subsystem"
    rel_link "$root/bus/scsi" "$sd/subsystem"
    printf 'Hyboot  \n' > "$sd/vendor"; printf 'Test Stick      \n' > "$sd/model"
    rel_link "$sd" "$dir/device"
  else
    dir=$root/devices/virtual/block/$name
  fi
  mkdir -p "$dir/holders" "$dir/queue"
  cp "$real/dev" "$real/size" "$real/ro" "$dir/"; echo "$rm" > "$dir/removable"
  cp "$real/queue/logical_block_size" "$dir/queue/"
  rel_link "$dir" "$root/dev/block/$(cat "$real/dev")"
  for p in "$real/$name"p*; do
    [ -d "$p" ] || continue
    pn=$(basename "$p")
    mkdir -p "$dir/$pn/holders"
    cp "$p/dev" "$p/start" "$p/size" "$p/partition" "$dir/$pn/"
    rel_link "$dir/$pn" "$root/dev/block/$(cat "$p/dev")"
  done
  echo "$dir"
}

# refused NAME REGEX BACKING CMD...: CMD fails with one "mkimage: error:"
# line matching REGEX, and BACKING (the loop device's file) is unchanged.
refused() {
  local name=$1 re=$2 backing=$3 before after rc; shift 3
  before=$(sha256sum < "$backing")
  "$@" > "$T/out" 2> "$T/err" < /dev/null; rc=$?
  after=$(sha256sum < "$backing")
  if [ "$rc" -eq 0 ]; then fail "$name" "exit status 0"; return; fi
  if ! grep -Eq -- "^mkimage: error: .*$re" "$T/err"; then fail "$name" "no /$re/ in: $(cat "$T/err")"; return; fi
  if [ "$(grep -c '^mkimage: error:' "$T/err")" -ne 1 ]; then fail "$name" "more than one error line: $(cat "$T/err")"; return; fi
  if [ "$before" != "$after" ]; then fail "$name" "the device was written"; return; fi
  pass "$name"
}

sectors() { echo $(( $(blockdev --getsize64 "$1") / 512 )); }
# esp START SIZE of the ESP on DEV, from sfdisk (not our code)
esp_of() { sfdisk -d "$1" 2>/dev/null | awk -F'[=,]' '/C12A7328|type=ef/{gsub(/ /,"");print $2, $4; exit}'; }

# ---- refusals ---------------------------------------------------------------
fill "$T/a.img" 96
newloop A "$T/a.img" || { fail "losetup"; finish; }
dd if="$IMG" of="$A" bs=1M conv=fsync status=none       # a stick with a hyboot image, partitions p1, p2
partitions_up "$A" || fail "partition nodes for $A" "neither the kernel nor partx made them"
FS=$T/sys
fake_sysfs "$FS" "$A" usb 1 >/dev/null

touch "$T/plain.img"
refused "refuses a regular file" "regular file, not a device" "$T/a.img" \
  "$MKIMAGE" --write-device "$T/plain.img" --yes "$IMG"
refused "refuses a character device" "character device, not a disk" "$T/a.img" \
  "$MKIMAGE" --write-device /dev/null --yes "$IMG"
refused "refuses a partition, names the whole disk" "is a partition \\(${A#/dev/}p2\\) of ${A#/dev/}: give the whole disk, $A" \
  "$T/a.img" "$MKIMAGE" --write-device "${A}p2" --yes "$IMG"

# a file system this kernel can mount, on partition 2 (scratch device)
mkdir -p "$T/mnt"
if grep -qw vfat /proc/filesystems || modprobe vfat 2>/dev/null; then mnt_ok=1; else mkfs.ext4 -q -F "${A}p2" && mnt_ok=1; fi
if [ -n "${mnt_ok:-}" ] && mount -o ro "${A}p2" "$T/mnt"; then
  MOUNTED=$T/mnt
  refused "refuses a disk with a mounted partition" "${A}p2 is mounted on $T/mnt" "$T/a.img" \
    env HYBOOT_SYSFS_ROOT="$FS" "$MKIMAGE" --write-device "$A" --yes "$IMG"
  umount "$T/mnt"; MOUNTED=
else fail "refuses a disk with a mounted partition" "could not mount ${A}p2"; fi

# swap on the BIOS boot partition (scratch device, its contents do not matter)
mkswap -q "${A}p1" >/dev/null 2>&1
if swapon "${A}p1" 2>/dev/null; then
  SWAPPED=${A}p1
  refused "refuses a disk with a swap partition" "${A}p1 is in use as swap" "$T/a.img" \
    env HYBOOT_SYSFS_ROOT="$FS" "$MKIMAGE" --write-device "$A" --yes "$IMG"
  swapoff "${A}p1"; SWAPPED=
else
  # no swap in this kernel: the same /proc/swaps line, from a fake /proc
  echo "note: swapon failed here; the swap refusal reads a fake /proc/swaps"
  mkdir -p "$T/proc/self"; cp /proc/self/mounts "$T/proc/self/mounts"
  printf 'Filename\tType\tSize\tUsed\tPriority\n%s\tpartition\t1000\t0\t-2\n' "${A}p1" > "$T/proc/swaps"
  refused "refuses a disk with a swap partition" "${A}p1 is in use as swap" "$T/a.img" \
    env HYBOOT_SYSFS_ROOT="$FS" HYBOOT_PROC_ROOT="$T/proc" "$MKIMAGE" --write-device "$A" --yes "$IMG"
fi

# a device-mapper holder (LVM) on partition 2, in a copy of the fake tree
FH=$T/sys-held
d=$(fake_sysfs "$FH" "$A" usb 1)
mkdir -p "$FH/devices/virtual/block/dm-0/dm"; echo "vg0-root" > "$FH/devices/virtual/block/dm-0/dm/name"
rel_link "$FH/devices/virtual/block/dm-0" "$d/${A#/dev/}p2/holders/dm-0"
refused "refuses a disk held by device-mapper/LVM" "${A#/dev/}p2 is in use by dm-0 \\(vg0-root\\) \\(device-mapper" "$T/a.img" \
  env HYBOOT_SYSFS_ROOT="$FH" "$MKIMAGE" --write-device "$A" --yes "$IMG"

# the disk that holds /: a mount table whose "/" is on it
mkdir -p "$T/proc-root/self"
{ cat /proc/self/mounts; echo "${A}p2 / vfat rw 0 0"; } > "$T/proc-root/self/mounts"
: > "$T/proc-root/swaps"
refused "refuses the disk that holds /" "holds the root file system" "$T/a.img" \
  env HYBOOT_SYSFS_ROOT="$FS" HYBOOT_PROC_ROOT="$T/proc-root" "$MKIMAGE" --write-device "$A" --yes "$IMG"

refused "refuses a fixed disk (not removable, not USB) without --allow-fixed" "neither removable nor on USB \\(transport virtual\\)" \
  "$T/a.img" "$MKIMAGE" --write-device "$A" --yes "$IMG"

fill "$T/small.img" 32
newloop S "$T/small.img"
refused "refuses a device smaller than the image" "holds 32 MiB, smaller than the image \\(64 MiB\\)" "$T/small.img" \
  "$MKIMAGE" --write-device "$S" --yes --allow-fixed "$IMG"

# 4Kn devices take images made for them (mkimage --sector-size 4096), and
# only those; a 4Kn image is refused on a 512-byte device.
"$MKIMAGE" -c "$TOP/images/disk.conf" --sector-size 4096 -o "$T/k4.img" 2>/dev/null
refused "refuses a 4Kn image on a device with 512-byte sectors" \
  "has 512-byte sectors, but .*k4\.img was made for 4096-byte sectors \(its GPT header is at byte 4096\).*--sector-size 512" \
  "$T/a.img" "$MKIMAGE" --write-device "$A" --yes --allow-fixed "$T/k4.img"
if newloop K "$T/small.img" --sector-size 4096 2>/dev/null && [ "$(blockdev --getss "$K")" = 4096 ]; then
  truncate -s 96M "$T/small.img"; losetup -c "$K"
  refused "refuses a 512-byte image on a device with 4096-byte sectors" \
    "has 4096-byte sectors, but .* was made for 512-byte sectors.*make the image with mkimage --sector-size 4096" \
    "$T/small.img" "$MKIMAGE" --write-device "$K" --yes --allow-fixed "$IMG"
  "$MKIMAGE" --write-device "$K" --yes --allow-fixed "$T/k4.img" > "$T/k4.out" 2>&1; rc=$?
  expect_eq "writes a 4Kn image onto a 4Kn device (exit 0)" "$rc" 0
  [ "$rc" -eq 0 ] || sed 's/^/    /' "$T/k4.out"
  expect_match "4Kn device: backup GPT moved to the last 4 KiB sector" "$(cat "$T/k4.out")" \
    "backup GPT moved to the last sector \($(( (96 << 20) / 4096 - 1 ))\)"
  expect_match "4Kn device: read back, verified, inspect ok" "$(cat "$T/k4.out")" "^inspect: ok$"
  expect_match "4Kn device: sgdisk -v finds no problems" "$(sgdisk -v "$K" 2>&1)" "^No problems found"
  if partitions_up "$K"; then check "4Kn device: fsck.fat -n on the ESP partition" fsck.fat -n "${K}p2"
  else fail "4Kn device: partition nodes" "neither the kernel nor partx made them"; fi
  check "4Kn device: boots under OVMF as a 4Kn NVMe disk (SELFTEST PASS)" \
    "$TOP/tests/boot/qemu-boot.sh" --fw uefi --bus nvme --block-size 4096 --image "$T/small.img" --exit 33
  droploop "$K"
else echo "note: this losetup cannot make 4096-byte sectors; the 4Kn device cases are not tested"; fi

if newloop R "$T/a.img" -r; then
  refused "refuses a read-only device" "is read-only" "$T/a.img" "$MKIMAGE" --write-device "$R" --yes --allow-fixed "$IMG"
  droploop "$R"
else fail "refuses a read-only device" "losetup -r failed"; fi
refused "refuses without a terminal and without --yes" "no terminal to ask on: add --yes" "$T/a.img" \
  env HYBOOT_SYSFS_ROOT="$FS" "$MKIMAGE" --write-device "$A" "$IMG"
refused "refuses a damaged image (GPT entries CRC)" "primary GPT: entries CRC mismatch" "$T/a.img" \
  bash -c 'cp "$1" "$2" && printf "\x01" | dd of="$2" bs=1 seek=1200 conv=notrunc status=none &&
           HYBOOT_SYSFS_ROOT="$3" "$4" --write-device "$5" --yes "$2"' _ "$IMG" "$T/bad.img" "$FS" "$MKIMAGE" "$A"

# on a terminal: the question, a wrong answer, then the right one
pty_run() { # pty_run ANSWER CMD...: runs CMD on a pseudo-terminal, answers the question, prints all output
  python3 - "$@" <<'PY'
import os, pty, select, sys, time
answer, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out, sent, deadline = b"", False, time.time() + 120
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        if not sent and b"to write the image there:" in out:
            os.write(fd, answer.encode() + b"\n"); sent = True
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(st))
PY
}
before=$(sha256sum < "$T/a.img")
out=$(HYBOOT_SYSFS_ROOT="$FS" pty_run "sdz" "$MKIMAGE" --write-device "$A" "$IMG"); rc=$?
if [ "$rc" -ne 0 ] && printf '%s' "$out" | grep -q 'not confirmed (typed "sdz"' && [ "$before" = "$(sha256sum < "$T/a.img")" ]; then
  pass "on a terminal: a wrong device name is refused, nothing written"
else fail "on a terminal: a wrong device name is refused, nothing written" "rc=$rc: $out"; fi
expect_match "the question shows the size and transport" "$out" "96 MiB \\([0-9]+ bytes\\), transport usb, removable"
expect_match "the question shows vendor and model" "$out" "vendor Hyboot, model Test Stick"
expect_match "the question shows the current partitions" "$out" "partition ${A#/dev/}p2: from sector 2048, [0-9.]+ MiB"

out=$(HYBOOT_SYSFS_ROOT="$FS" pty_run "${A#/dev/}" "$MKIMAGE" --write-device "$A" "$IMG"); rc=$?
expect_eq "on a terminal: typing the device name writes it" "$rc" 0
expect_match "on a terminal: progress with bytes, MiB/s and time" "$out" "writing [0-9.]+ [KM]iB of [0-9.]+ MiB, [0-9.]+ MiB/s, (ETA [0-9]+:[0-9]{2}|took [0-9.]+ s)"

FR=$T/sys-removable
fake_sysfs "$FR" "$A" fixed 1 >/dev/null
HYBOOT_SYSFS_ROOT="$FR" "$MKIMAGE" --write-device "$A" --yes "$IMG" > "$T/rm.out" 2>&1; rc=$?
expect_eq "accepts a removable disk that is not on USB (a card reader)" "$rc" 0

# ---- a full write onto a used 256 MiB stick ---------------------------------
fill "$T/stick.img" 256
# what was on it before: another GPT, an ext4 file system in a partition
# at 100 MiB and one on the whole end, a stale backup GPT at the end
sgdisk -o -n 1:2048:+50M -n 2:204800:+100M "$T/stick.img" >/dev/null
mkfs.ext4 -q -F -E offset=$((204800 * 512)) "$T/stick.img" 100M 2>/dev/null ||
  echo "note: mkfs.ext4 with an offset failed; the old-signature check below then has nothing to find"
newloop U "$T/stick.img"
partitions_up "$U" || echo "note: no partition nodes for the old table of $U"
FU=$T/sys-usb
fake_sysfs "$FU" "$U" usb 0 >/dev/null      # on USB, not flagged removable (like many USB SSDs)
HYBOOT_SYSFS_ROOT="$FU" "$MKIMAGE" --write-device "$U" --yes "$IMG" > "$T/w.out" 2> "$T/w.err"; rc=$?
expect_eq "writes the 64 MiB image to a 256 MiB USB stick (exit 0)" "$rc" 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$T/w.err"
expect_eq "quiet when not on a terminal (nothing on stderr)" "$(cat "$T/w.err")" ""
expect_match "writes only the data part of the image" "$(cat "$T/w.out")" "data in the first 2\\.[0-9]+ MiB; [0-9.]+ MiB to write"
expect_match "says the backup GPT moved to the last sector" "$(cat "$T/w.out")" "backup GPT moved to the last sector \\($(( $(sectors "$U") - 1 ))\\)"
expect_match "reads back and verifies" "$(cat "$T/w.out")" "flushed; read back [0-9]+ bytes and verified"
expect_match "prints the --inspect report of the device" "$(cat "$T/w.out")" "^inspect: ok$"
expect_match "sgdisk -v on the device: no problems" "$(sgdisk -v "$U" 2>&1)" "^No problems found"
read -r es en < <(esp_of "$U")
if [ -n "$es" ] && newloop E "$U" -o $((es * 512)) --sizelimit $((en * 512)); then
  check "fsck.fat -n on the written ESP" fsck.fat -n "$E"
  droploop "$E"
else fail "fsck.fat -n on the written ESP" "no ESP found by sfdisk"; fi
expect_eq "whole-disk probe: a GPT, no stale file system signature" \
  "$(blkid -p -o export "$U" 2>/dev/null | grep -E '^(PTTYPE|TYPE)=' | sort | tr '\n' ' ')" "PTTYPE=gpt "
if blkid -p -O $((204800 * 512)) "$U" >/dev/null 2>&1; then
  fail "the old partition's ext4 signature is gone" "$(blkid -p -O $((204800 * 512)) "$U")"
else pass "the old partition's ext4 signature is gone"; fi

# every allocated range of the image, up to the ESP's end, is on the device
# byte for byte (LBA 1, the primary header, is compared field by field below)
python3 - "$IMG" $(( (es + en) * 512 )) > "$T/ranges" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY); end = int(sys.argv[2]); off = 0
while off < end:
    try: d = os.lseek(fd, off, os.SEEK_DATA)
    except OSError: break
    h = min(os.lseek(fd, d, os.SEEK_HOLE), end)
    for a, b in ((d, min(h, 512)), (max(d, 1024), h)):
        if a < b: print(a, b - a)
    off = h
PY
n=0 bad=
while read -r off len; do
  n=$((n + 1))
  cmp -s -n "$len" -i "$off:$off" "$IMG" "$U" || bad+=" $off+$len"
done < "$T/ranges"
if [ "$n" -gt 3 ] && [ -z "$bad" ]; then pass "cmp: all $n allocated ranges of the image match the device"
else fail "cmp: all allocated ranges of the image match the device" "ranges=$n, differ:$bad"; fi
last=$(( $(sectors "$U") - 1 ))
if cmp -s -n 16384 -i "1024:$(( (last - 32) * 512 ))" "$IMG" "$U"; then pass "backup entries at the device's end equal the image's entries"
else fail "backup entries at the device's end equal the image's entries"; fi
hdr=$(python3 - "$IMG" "$U" <<'PY'
import struct, sys
a = open(sys.argv[1], "rb").read(1024)[512:604]; b = open(sys.argv[2], "rb").read(1024)[512:604]
keep = [(0, 16), (20, 32), (40, 48), (56, 92)]      # all but CRC, alternate LBA, last usable LBA
same = all(a[i:j] == b[i:j] for i, j in keep)
print("same" if same else "differ", struct.unpack_from("<Q", b, 32)[0], struct.unpack_from("<Q", b, 48)[0])
PY
)
expect_eq "primary header: only the alternate LBA, last usable LBA and CRC changed" "$hdr" "same $last $(( last - 33 ))"
if [ -f "/sys/block/${U#/dev/}/${U#/dev/}p2/partition" ]; then pass "the kernel reread the partition table (BLKRRPART)"
else echo "note: this kernel does not parse GPT itself; BLKRRPART's effect is not checked"; fi

# the stick's backing file, attached the way a stick is: usb-storage on xHCI
check "boots under SeaBIOS from the written stick as a USB disk (SELFTEST PASS)" \
  "$TOP/tests/boot/qemu-boot.sh" --fw bios --bus usb-xhci --image "$T/stick.img" --exit 33
check "boots under OVMF from the written stick as a USB disk (SELFTEST PASS)" \
  "$TOP/tests/boot/qemu-boot.sh" --fw uefi --bus usb-xhci --image "$T/stick.img" --exit 33

# a non-sparse copy of the image: the same bytes written (zeros at the end
# of its allocated data are found by reading, not by the allocation map)
cp --sparse=never "$IMG" "$T/dense.img"
HYBOOT_SYSFS_ROOT="$FU" "$MKIMAGE" --write-device "$U" --yes "$T/dense.img" > "$T/d.out" 2>&1
expect_eq "a non-sparse copy of the image writes the same amount" \
  "$(grep -o 'data in the first.*to write' "$T/d.out")" "$(grep -o 'data in the first.*to write' "$T/w.out")"

# ---- build and write in one run, from the recipe ----------------------------
img_before=$(sha256sum < "$IMG")
"$MKIMAGE" -c "$TOP/images/disk.conf" --mbr protective --write-device "$U" --yes --allow-fixed > "$T/r.out" 2>&1; rc=$?
expect_eq "-c RECIPE --write-device builds and writes (exit 0)" "$rc" 0
expect_match "-c RECIPE --write-device: inspect ok" "$(cat "$T/r.out")" "^inspect: ok$"
expect_match "-c RECIPE --write-device: sgdisk -v clean" "$(sgdisk -v "$U" 2>&1)" "^No problems found"
expect_eq "-c RECIPE --write-device: the recipe's output file is not touched" "$(sha256sum < "$IMG")" "$img_before"
expect_eq "protective MBR grown to the device (size minus one)" \
  "$(od -An -tu4 -j $((446 + 12)) -N4 "$U" | tr -d ' ')" "$(( $(sectors "$U") - 1 ))"

# make flash DEV=... wraps it
out=$(make -s -C "$TOP" flash DEV="$U" FLASH_OPTS="--yes --allow-fixed" 2>&1); rc=$?
expect_eq "make flash DEV=... writes the image" "$rc" 0
expect_match "make flash DEV=...: verified and inspected" "$out" "^inspect: ok$"

# ---- interrupted --------------------------------------------------------------
HYBOOT_SYSFS_ROOT="$FU" HYBOOT_FLASH_STOP_AFTER=1 "$MKIMAGE" --write-device "$U" --yes "$IMG" > "$T/i.out" 2> "$T/i.err" &
pid=$!
for _ in $(seq 300); do grep -q "test hook: .* waiting for a signal" "$T/i.err" && break; sleep 0.1; done
if grep -q "waiting for a signal" "$T/i.err"; then
  kill -INT "$pid"; wait "$pid"; rc=$?
  expect_eq "Ctrl-C mid-write: dies of SIGINT (status 130)" "$rc" 130
  expect_match "Ctrl-C mid-write: says the device is incomplete" "$(cat "$T/i.err")" \
    "^mkimage: error: $U: interrupted after writing .* the device is INCOMPLETE and has no partition table"
  expect_eq "Ctrl-C mid-write: no partition table left to mistake for a bootable stick" \
    "$(blkid -p -o value -s PTTYPE "$U" 2>/dev/null)" ""
else kill "$pid" 2>/dev/null; wait "$pid"; fail "Ctrl-C mid-write" "the write never reached the test hook: $(cat "$T/i.err")"; fi

# ---- a read-back mismatch -------------------------------------------------------
at=$(( (1 << 20) + 4096 + 7 ))
HYBOOT_SYSFS_ROOT="$FU" HYBOOT_FLASH_CORRUPT_AT=$at "$MKIMAGE" --write-device "$U" --yes "$IMG" > "$T/c.out" 2> "$T/c.err"; rc=$?
if [ "$rc" -eq 1 ] && grep -q "^mkimage: error: $U: read-back differs at offset $at:" "$T/c.err" && ! grep -q "^inspect:" "$T/c.out"; then
  pass "a byte changed between write and read-back is reported at its offset"
else fail "a byte changed between write and read-back is reported at its offset" "rc=$rc: $(cat "$T/c.err")"; fi

# ---- a write error --------------------------------------------------------------
# a loop device on a file in a 512 KiB tmpfs: writes past what fits fail
# with EIO, the way a dying stick's do
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=512k tmpfs "$T/tiny"; then
  TMPFS=$T/tiny
  truncate -s 128M "$T/tiny/dev.img"
  newloop W "$T/tiny/dev.img"
  "$MKIMAGE" --write-device "$W" --yes --allow-fixed "$IMG" > "$T/e.out" 2> "$T/e.err"; rc=$?
  if [ "$rc" -eq 1 ] && grep -Eq "^mkimage: error: $W: write failed at offset [0-9]+: .*INCOMPLETE" "$T/e.err"; then
    pass "a write error names the offset"
  else fail "a write error names the offset" "rc=$rc: $(cat "$T/e.err")"; fi
  droploop "$W"
  umount "$T/tiny" 2>/dev/null || umount -l "$T/tiny"; TMPFS=
else echo "note: cannot mount a tmpfs here; the write-error test is skipped"; fi

finish

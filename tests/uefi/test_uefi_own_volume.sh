#!/usr/bin/env bash
# The loader reads from the volume it was started from, never "the first
# file system": a decoy disk with its own valid ESP (kernel-alt and a
# matching boot.cfg) sits on virtio-blk, enumerated before the AHCI disk we
# boot from (bootindex=0). The kernel must be the image's own (no "variant
# alt" line), and boot_info's ESP GUID/LBA must be those of the image's
# GPT. Skipped with QUICK=1.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
[ "${QUICK:-0}" = 1 ] && { echo "info: uefi/own-volume skipped (QUICK=1)"; exit 0; }
need_file "$IMG" uefi/own-volume "make disk.img"
ALT="$B/kernel/kernel-alt.elf"
need_file "$ALT" uefi/own-volume "make $ALT"

# A private copy: the GUIDs compared below must come from the very image
# that booted, even if someone rebuilds images/disk.img meanwhile.
cp --sparse=always "$IMG" "$T/disk.img"
IMG="$T/disk.img"

if ! out=$("$MKIMAGE" -c images/disk.conf --kernel "$ALT" --seed uefi-decoy -o "$T/decoy.img" 2>&1); then
  fail "uefi/own-volume: boots its own ESP with a decoy ESP present" "mkimage: $out"
  finish
fi
uefi_boot "uefi/own-volume: boots its own ESP with a decoy ESP present" "$T/own.log" \
  --image "$IMG" --machine q35 --bus ahci --expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33 \
  -- -drive "format=raw,snapshot=on,if=none,id=decoy,file=$T/decoy.img" -device virtio-blk-pci,drive=decoy
if clean_log "$T/own.log" | grep -q 'hyboot: kernel variant alt'; then
  fail "uefi/own-volume: the kernel came from the boot disk, not the decoy" "the decoy's kernel-alt ran"
else
  pass "uefi/own-volume: the kernel came from the boot disk, not the decoy"
fi

# The ESP's unique GUID and first LBA from the image's primary GPT.
want=$(python3 - "$IMG" <<'PY'
import struct, sys, uuid
f = open(sys.argv[1], "rb"); f.seek(512); h = f.read(92)
lba, n, size = struct.unpack_from("<QII", h, 72)
f.seek(lba * 512); ents = f.read(n * size)
esp = uuid.UUID("C12A7328-F81F-11D2-BA4B-00A0C93EC93B").bytes_le
for i in range(n):
    e = ents[i * size:(i + 1) * size]
    if e[:16] == esp:
        print("disk %s, esp %s at lba %d" % (str(uuid.UUID(bytes_le=h[56:72])).upper(),
              str(uuid.UUID(bytes_le=e[16:32])).upper(), struct.unpack_from("<Q", e, 32)[0]))
PY
)
got=$(clean_log "$T/own.log" | sed -n 's/^hyboot: boot device: //p' | head -n 1)
expect_eq "uefi/own-volume: boot device (disk GUID, ESP GUID, LBA) is the image's" "$got" "$want"
finish

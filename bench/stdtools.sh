#!/usr/bin/env bash
# The "standard tools" way to build the same image mkimage builds: the
# fastest honest use of util-linux/dosfstools/mtools/coreutils we know.
#   bench/stdtools.sh OUT.img KERNEL EFI STAGE1 STAGE2 [SIZE_MiB]
# sfdisk (not sgdisk: sgdisk syncs and sleeps a second per write).
# stage1 is written unpatched: patching it is mkimage's job and a few
# bytes of dd would not change the timing.
set -euo pipefail
out=$1 kernel=$2 efi=$3 stage1=$4 stage2=$5 size=${6:-64}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-std.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export MTOOLS_SKIP_CHECK=1

rm -f "$out"
truncate -s "${size}M" "$out"
sfdisk -q --no-reread --no-tell-kernel "$out" <<SF
label: gpt
first-lba: 34
start=34, size=2014, type=21686148-6449-6E6F-744E-656564454649, name="BIOS boot"
start=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system"
SF
esp_sectors=$(( size * 2048 - 2048 - 33 ))
truncate -s $(( esp_sectors * 512 )) "$tmp/esp.img"
mkfs.fat -F 32 -n HYBOOT -S 512 --invariant "$tmp/esp.img" >/dev/null
printf 'kernel=/boot/kernel.elf\ncmdline=test\nkernel_sha256=%s\n' "$(sha256sum "$kernel" | cut -d' ' -f1)" > "$tmp/boot.cfg"
mmd -i "$tmp/esp.img" ::/EFI ::/EFI/BOOT ::/boot
mcopy -i "$tmp/esp.img" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp/esp.img" "$kernel" ::/boot/kernel.elf
mcopy -i "$tmp/esp.img" "$tmp/boot.cfg" ::/boot/boot.cfg
dd if="$tmp/esp.img" of="$out" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$stage1" of="$out" bs=440 count=1 conv=notrunc status=none
dd if="$stage2" of="$out" bs=512 seek=34 conv=notrunc status=none

#!/usr/bin/env bash
# OVMF boots images/disk.img to "Hello World!" and SELFTEST PASS (exit 33)
# on q35/AHCI, pc/IDE, virtio-blk and with 4 GiB of RAM (memory above
# 4 GiB), without any display (no GOP: serial only, and the loader says
# so) and with a GOP that has only Blt modes (virtio-gpu-pci). QUICK=1:
# the q35 boot only.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
need_file "$IMG" uefi/boot "make disk.img"

want=(--expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33)
cases=("q35-ahci|--machine q35 --bus ahci")
if [ "${QUICK:-0}" != 1 ]; then
  cases+=("pc-ide|--machine pc --bus ide"
          "virtio-blk|--machine q35 --bus virtio"
          "mem-4g|--machine q35 --mem 4G")
fi
for c in "${cases[@]}"; do
  name=${c%%|*}
  read -ra opts <<<"${c#*|}"
  log="$T/$name.log"
  uefi_boot "uefi/boot/$name: Hello World! and SELFTEST PASS, exit 33" "$log" --image "$IMG" "${opts[@]}" "${want[@]}"
  log_has "uefi/boot/$name: loader progress trail" "$log" 'hyboot: uefi loader started'
  log_has "uefi/boot/$name: boot services exited" "$log" 'hyboot: jumping to the kernel'
  log_has "uefi/boot/$name: kernel sees the UEFI loader" "$log" 'firmware=UEFI loader="hyboot-uefi 0\.2"'
  ms=$(loader_ms "$log")
  [ -n "$ms" ] && echo "info: $name: loader entry->jump $ms ms"
done

if [ "${QUICK:-0}" != 1 ]; then
  log="$T/vga-none.log"
  uefi_boot "uefi/boot/vga-none: boots without a GOP to SELFTEST PASS, exit 33" "$log" --image "$IMG" \
    --machine q35 --vga none "${want[@]}"
  log_has "uefi/boot/vga-none: the loader says there is no GOP" "$log" 'hyboot: display: none, serial only \(no GOP\)'

  # virtio-gpu-pci without VGA: OVMF's GOP offers only PixelBltOnly modes.
  log="$T/blt-only.log"
  uefi_boot "uefi/boot/blt-only: a Blt-only GOP boots serial only to SELFTEST PASS, exit 33" "$log" --image "$IMG" \
    --machine q35 --vga none "${want[@]}" -- -device virtio-gpu-pci
  log_has "uefi/boot/blt-only: the loader says it has no linear framebuffer" "$log" \
    'hyboot: display: none, serial only \(GOP [0-9]+x[0-9]+ BltOnly has no linear framebuffer\)'
  log_has "uefi/boot/blt-only: the kernel got no framebuffer" "$log" 'hyboot: kernel framebuffer: none'
fi
finish

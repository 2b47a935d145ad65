#!/usr/bin/env bash
# boot.cfg as a user edits it with mtools: resolution=1024x768 makes the
# loader set that GOP mode (and the kernel draws at that size); cmdline=
# reaches the kernel verbatim; a bad line stops the boot with the line
# number. Skipped with QUICK=1.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
[ "${QUICK:-0}" = 1 ] && { echo "info: uefi/config skipped (QUICK=1)"; exit 0; }
need_file "$IMG" uefi/config "make disk.img"
off=$(esp_offset "$IMG")

# edit_cfg IMG SED-SCRIPT: rewrite /boot/boot.cfg on IMG's ESP
edit_cfg() {
  mtype -i "$1@@$off" ::/boot/boot.cfg | tr -d '\r' | sed "$2" > "$T/boot.cfg.new" &&
    mcopy -o -i "$1@@$off" "$T/boot.cfg.new" ::/boot/boot.cfg
}

cp --sparse=always "$IMG" "$T/res.img"
if edit_cfg "$T/res.img" '/^resolution=/d; /^cmdline=/d; $a resolution=1024x768\ncmdline=test uefi-config-check'; then
  uefi_boot "uefi/config: resolution=1024x768 and a new cmdline boot to SELFTEST PASS" "$T/res.log" \
    --image "$T/res.img" --expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33
  log_has "uefi/config: the loader set 1024x768" "$T/res.log" 'hyboot: display: GOP mode [0-9]+ 1024x768 '
  log_has "uefi/config: the kernel draws at 1024x768" "$T/res.log" 'hyboot: kernel framebuffer: 1024x768'
  log_has "uefi/config: the kernel got the edited cmdline" "$T/res.log" 'hyboot: kernel cmdline: "test uefi-config-check"'
else
  fail "uefi/config: resolution=1024x768 and a new cmdline boot to SELFTEST PASS" "could not edit boot.cfg"
fi

cp --sparse=always "$IMG" "$T/bad.img"
if edit_cfg "$T/bad.img" '1i resolution=wide'; then
  uefi_boot "uefi/config: a bad boot.cfg line stops the boot with its number" "$T/bad.log" \
    --image "$T/bad.img" --expect 'hyboot: error: /boot/boot.cfg line 1: '
else
  fail "uefi/config: a bad boot.cfg line stops the boot with its number" "could not edit boot.cfg"
fi
finish

#!/usr/bin/env bash
# stage2's A20 methods, forced in turn: a test MBR (a20off.asm) turns A20
# off and chain-loads the real stage1 from LBA 34. stage2 then finds A20
# off and must turn it on with INT 15h AX=2401h; with that BIOS call made
# to fail, with the keyboard controller. Both must boot. (Port 0x92 cannot
# be forced here: QEMU without an i8042 has no A20 gate at all.)
# The keyboard-controller case also exercises bios_call's A20 recheck:
# SeaBIOS restores port 0x92 after its own 32-bit code, which in QEMU
# switches A20 off again.
# QUICK=1: only the keyboard-controller case.
source "$(dirname "$0")/../lib.sh"
QB=$TOP/tests/boot/qemu-boot.sh
[ -f "$IMG" ] || { fail "bios a20: $IMG" "missing (make disk.img)"; finish; }

# image NAME [NASM-DEFINES]: disk.img with the A20-off MBR in front
image() {
  local name=$1; shift
  nasm -f bin "$@" -o "$T/$name.mbr" "$TOP/tests/bios/a20off.asm" || return 1
  cp --sparse=always "$IMG" "$T/$name.img" &&
    dd if="$IMG" of="$T/$name.img" bs=512 count=1 seek=34 conv=notrunc status=none &&
    dd if="$T/$name.mbr" of="$T/$name.img" bs=440 count=1 conv=notrunc status=none
}
# case NAME REGEX QEMU-ARGS...: boots, the A20 line must match REGEX
case_a20() {
  local name=$1 want=$2; shift 2
  local out
  if out=$("$QB" --fw bios --image "$T/$name.img" --log "$T/$name.log" \
             --expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33 "$@" 2>&1); then
    expect_match "bios a20: $name" "$(tr -d '\r' < "$T/$name.log")" "hyboot: A20 $want"
  else
    fail "bios a20: $name"; printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
  fi
}

image nobios -DHOOK_2401 || fail "bios a20: build test MBR"
case_a20 nobios 'keyboard controller' --machine q35
tr -d '\r' < "$T/nobios.log" | grep -a 'A20' | sed 's/^/    /'
if [ "${QUICK:-0}" = 1 ]; then finish; fi
image bios || fail "bios a20: build test MBR"
case_a20 bios 'BIOS INT 15h AX=2401h' --machine q35
finish

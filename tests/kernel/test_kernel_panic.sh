#!/usr/bin/env bash
# The panic path through the real loaders: a copy of images/disk.img whose
# boot.cfg says cmdline=crash=ud (and crash=pf) must show the PANIC line
# with registers on serial and on the screen, under SeaBIOS and OVMF.
source "$(dirname "$0")/../lib.sh"
QB="$TOP/tests/boot/qemu-boot.sh"
FBCHECK=$B/tests/fbcheck
[ -f "$IMG" ] || { fail "image exists" "$IMG missing (make disk.img)"; finish; }
[ -x "$FBCHECK" ] || { fail "fbcheck built" "$FBCHECK missing"; finish; }

# crash_image KIND OUT: the image with boot.cfg's cmdline replaced
crash_image() {
  local kind=$1 out=$2
  cp --sparse=always "$IMG" "$out" || return 1
  mtype -i "$out@@1M" ::/boot/boot.cfg > "$T/boot.cfg.orig" || return 1
  grep -q '^cmdline=' "$T/boot.cfg.orig" || return 1
  sed "s/^cmdline=.*/cmdline=crash=$kind/" "$T/boot.cfg.orig" > "$T/boot.cfg"
  mcopy -o -i "$out@@1M" "$T/boot.cfg" ::/boot/boot.cfg || return 1
  mtype -i "$out@@1M" ::/boot/boot.cfg | grep -qx "cmdline=crash=$kind"
}

kinds=(ud pf)
[ "${QUICK:-0}" = 1 ] && kinds=(ud)
for kind in "${kinds[@]}"; do
  if ! crash_image "$kind" "$T/crash-$kind.img"; then fail "image with cmdline=crash=$kind" "mtools edit failed"; continue; fi
  pass "image with cmdline=crash=$kind"
  case $kind in
    ud) line='^PANIC: #UD invalid opcode \(vector 6\) rip=0xffffffff8[0-9a-f]{7} cr2=0x[0-9a-f]+ err=0x0' shown='PANIC: #UD invalid opcode (vector 6)' ;;
    pf) line='^PANIC: #PF page fault \(vector 14\) rip=0xffffffff8[0-9a-f]{7} cr2=0x[1-9a-f][0-9a-f]* err=0x[0-9a-f]+' shown='PANIC: #PF page fault (vector 14)' ;;
  esac
  for fw in bios uefi; do
    log=$T/$fw-$kind.log
    if out=$("$QB" --fw "$fw" --image "$T/crash-$kind.img" --timeout 180 --log "$log" \
               --expect "$line" --expect '^  cr0=0x[0-9a-f]+ cr3=0x[0-9a-f]+ cr4=0x[0-9a-f]+' \
               --expect '^hyboot: kernel halted' --screendump "$T/$fw-$kind.ppm" 2>&1); then
      pass "$fw: crash=$kind prints the PANIC line and registers on serial"
      if "$FBCHECK" "$T/$fw-$kind.ppm" "$shown" >/dev/null; then
        pass "$fw: crash=$kind panic visible on screen"
      else
        fail "$fw: crash=$kind panic visible on screen" "fbcheck did not find '$shown'"
      fi
      expect_match "$fw: crash=$kind dumps general registers" "$(tr -d '\r' < "$log")" \
        '^  rax=0x[0-9a-f]{16} rbx=0x[0-9a-f]{16} rcx=0x[0-9a-f]{16}'
    else
      fail "$fw: crash=$kind prints the PANIC line and registers on serial"
      printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /'
    fi
  done
done
finish

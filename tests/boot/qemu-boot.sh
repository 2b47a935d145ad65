#!/usr/bin/env bash
# Boots one disk image in QEMU and waits for serial markers or QEMU's exit.
#
#   tests/boot/qemu-boot.sh --fw bios|uefi --image IMG [options] [-- extra qemu args]
#
# options:
#   --machine pc|q35       (default q35)
#   --bus ide|ahci|virtio|nvme|usb-xhci|usb-ehci   (default: ide on pc, ahci on q35)
#   --mem SIZE             (default 512M)      --smp N (default 1)
#   --vga std|virtio|none  (default std)       --cpu MODEL (default: QEMU's)
#   --second-disk          attach a blank disk first and the image second,
#                          with bootindex on the image
#   --expect REGEX         serial must match (grep -E); repeatable
#   --exit N               QEMU must exit with status N (33 = SELFTEST PASS)
#   --no-exit-device       leave out isa-debug-exit (the kernel then halts)
#   --screendump FILE.ppm  after every --expect matched, save the screen
#                          through the monitor, then quit QEMU
#   --timeout SECONDS      (default 120)
#   --log FILE             keep the serial log there (default: temp)
#   --print-cmd            print the qemu command line before running
#   --run                  interactive: no waiting, no timeout, window if any
# Exit status 0 when every expectation held. On failure the QEMU command
# and the tail of the serial log are printed.
set -u
fw= image= machine=q35 bus= mem=512M smp=1 vga=std cpu= timeout=${BOOT_TIMEOUT:-120}
log= want_exit= exitdev=1 shot= print=0 run=0 second=0
expects=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fw) fw=$2; shift ;;
    --image) image=$2; shift ;;
    --machine) machine=$2; shift ;;
    --bus) bus=$2; shift ;;
    --mem) mem=$2; shift ;;
    --smp) smp=$2; shift ;;
    --vga) vga=$2; shift ;;
    --cpu) cpu=$2; shift ;;
    --second-disk) second=1 ;;
    --expect) expects+=("$2"); shift ;;
    --exit) want_exit=$2; shift ;;
    --no-exit-device) exitdev=0 ;;
    --screendump) shot=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --log) log=$2; shift ;;
    --print-cmd) print=1 ;;
    --run) run=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "qemu-boot.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$fw" ] && [ -n "$image" ] || { echo "qemu-boot.sh: --fw and --image are required" >&2; exit 2; }
[ -f "$image" ] || { echo "qemu-boot.sh: $image: no such image" >&2; exit 2; }
[ -n "$bus" ] || { [ "$machine" = pc ] && bus=ide || bus=ahci; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-qemu.XXXXXX")
qpid=
cleanup() {
  trap '' INT TERM      # a second signal must not cut the clean-up short
  if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
    kill "$qpid" 2>/dev/null; sleep 0.2; kill -9 "$qpid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -n "$log" ] || log=$tmp/serial.log
: > "$log"

accel=${ACCEL:-tcg}
cmd=(qemu-system-x86_64 -machine "$machine" -accel "$accel" -m "$mem" -smp "$smp"
     -no-reboot -net none -vga "$vga")
[ -n "$cpu" ] && cmd+=(-cpu "$cpu")
if [ "$run" -eq 1 ]; then
  cmd+=(-serial stdio)
  [ -n "${DISPLAY:-}" ] || cmd+=(-display none)
else
  cmd+=(-display none -serial "file:$log" -monitor "unix:$tmp/mon,server,nowait")
fi
[ "$exitdev" -eq 1 ] && cmd+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)

case "$fw" in
  bios) ;;
  uefi)
    code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
    vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
    cp "$vars" "$tmp/vars.fd"
    cmd+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
          -drive "if=pflash,format=raw,unit=1,file=$tmp/vars.fd") ;;
  *) echo "qemu-boot.sh: --fw must be bios or uefi" >&2; exit 2 ;;
esac

# snapshot=on: boots never write to the image, so parallel boots can share it.
drv="format=raw,snapshot=on,if=none,id=boot,file=$image"
if [ "$second" -eq 1 ]; then
  truncate -s 64M "$tmp/blank.img"
  cmd+=(-drive "format=raw,if=none,id=blank,file=$tmp/blank.img")
fi
dev() { # dev ID BOOTINDEX: the device line for drive ID on $bus
  local id=$1 bi=$2
  case "$bus" in
    ide)      echo "ide-hd,drive=$id,bus=ide.$3$bi" ;;
    ahci)     echo "ide-hd,drive=$id,bus=ide.$3$bi" ;;
    virtio)   echo "virtio-blk-pci,drive=$id$bi" ;;
    nvme)     echo "nvme,drive=$id,serial=hyboot$3$bi" ;;
    usb-xhci) echo "usb-storage,drive=$id,bus=xhci.0$bi" ;;
    usb-ehci) echo "usb-storage,drive=$id,bus=ehci.0$bi" ;;
    *) echo "qemu-boot.sh: unknown bus $bus" >&2; exit 2 ;;
  esac
}
case "$bus" in
  usb-xhci) cmd+=(-device qemu-xhci,id=xhci) ;;
  usb-ehci) cmd+=(-device usb-ehci,id=ehci) ;;
esac
cmd+=(-drive "$drv")
if [ "$second" -eq 1 ]; then
  cmd+=(-device "$(dev blank "" 0)" -device "$(dev boot ",bootindex=0" 1)")
else
  cmd+=(-device "$(dev boot ",bootindex=0" 0)")
fi
cmd+=("${extra[@]}")

if [ "$print" -eq 1 ] || [ "$run" -eq 1 ]; then printf '%q ' "${cmd[@]}"; echo; fi
if [ "$run" -eq 1 ]; then "${cmd[@]}"; exit $?; fi

"${cmd[@]}" </dev/null >"$tmp/qemu.out" 2>&1 &
qpid=$!

failmsg() {
  echo "qemu-boot: FAILED: $1"
  echo "qemu-boot: command: $(printf '%q ' "${cmd[@]}")"
  [ -s "$tmp/qemu.out" ] && { echo "qemu-boot: qemu said:"; tail -n 5 "$tmp/qemu.out" | sed 's/^/    /'; }
  echo "qemu-boot: serial log tail:"
  tr -d '\r' < "$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tail -n 25 | sed 's/^/    /'
}

all_seen() {
  local e
  for e in "${expects[@]}"; do grep -Eq -- "$e" "$log" || return 1; done
  return 0
}

deadline=$(( $(date +%s) + timeout ))
status=
while :; do
  if ! kill -0 "$qpid" 2>/dev/null; then
    wait "$qpid"; status=$?; qpid=
    break
  fi
  if [ ${#expects[@]} -gt 0 ] && [ -z "$want_exit" ] && all_seen; then
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    failmsg "timeout after ${timeout}s"
    exit 1
  fi
  sleep 0.1
done

if [ -n "$shot" ]; then
  if [ -z "$qpid" ]; then failmsg "QEMU exited before the screendump"; exit 1; fi
  sleep 0.5   # let the last glyphs reach the framebuffer
  python3 - "$tmp/mon" "$shot" <<'PY' || { failmsg "screendump failed"; exit 1; }
import socket, sys, time, os
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(("screendump %s\n" % sys.argv[2]).encode()); time.sleep(0.5)
for _ in range(50):
    if os.path.exists(sys.argv[2]) and os.path.getsize(sys.argv[2]) > 0: break
    time.sleep(0.1)
s.sendall(b"quit\n"); time.sleep(0.2)
PY
fi

ok=1
for e in "${expects[@]}"; do
  if ! grep -Eq -- "$e" "$log"; then ok=0; failmsg "serial never matched /$e/"; break; fi
done
if [ "$ok" -eq 1 ] && [ -n "$want_exit" ]; then
  if [ -z "$status" ]; then ok=0; failmsg "QEMU still running, wanted exit $want_exit"
  elif [ "$status" != "$want_exit" ]; then ok=0; failmsg "QEMU exit status $status, wanted $want_exit"; fi
fi
[ "$ok" -eq 1 ] || exit 1
exit 0

#!/usr/bin/env bash
# Boots a kernel ELF through the test-only multiboot stub (mbstub.elf),
# without any disk image or real loader:
#
#   tests/kernel/stub-boot.sh [options] KERNEL.elf "STUB OPTIONS -- KERNEL CMDLINE"
#     --mem SIZE         (default 512M)     --machine pc|q35 (default q35)
#     --vga std|none     (default std)       --cpu MODEL (default QEMU's)
#     --module "FILE [STRING]"  a boot module (repeatable; no commas)
#     --expect REGEX     serial must match (grep -E); repeatable
#     --exit N           QEMU must exit with this status (33 pass, 35 fail)
#     --no-exit-device   leave out isa-debug-exit (the kernel halts instead)
#     --screendump FILE  after the expectations matched, save the screen
#     --timeout S        (default 60)      --log FILE  keep the serial log
# Exit 0 when all expectations held; otherwise prints why and the log tail.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$TOP/build}
mem=512M machine=q35 vga=std cpu= exitdev=1 timeout=${BOOT_TIMEOUT:-60} want_exit= shot= log=
expects=() modules=
while [ $# -gt 2 ]; do
  case "$1" in
    --mem) mem=$2; shift ;;
    --machine) machine=$2; shift ;;
    --vga) vga=$2; shift ;;
    --cpu) cpu=$2; shift ;;
    --module) modules+=",$2"; shift ;;
    --expect) expects+=("$2"); shift ;;
    --exit) want_exit=$2; shift ;;
    --no-exit-device) exitdev=0; shift; continue ;;
    --screendump) shot=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --log) log=$2; shift ;;
    *) echo "stub-boot.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ $# -eq 2 ] || { echo "usage: stub-boot.sh [options] KERNEL.elf 'STUB OPTS -- CMDLINE'" >&2; exit 2; }
kernel=$1 append=$2
[ -f "$B/tests/mbstub.elf" ] && [ -f "$kernel" ] || { echo "stub-boot.sh: need $B/tests/mbstub.elf and $kernel" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-stub.XXXXXX")
qpid=
cleanup() {
  if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then kill "$qpid" 2>/dev/null; sleep 0.2; kill -9 "$qpid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
[ -n "$log" ] || log=$tmp/serial.log
: > "$log"
cmd=(qemu-system-x86_64 -machine "$machine" -accel tcg -m "$mem" -no-reboot -net none -vga "$vga"
     -display none -serial "file:$log" -monitor "unix:$tmp/mon,server,nowait"
     -kernel "$B/tests/mbstub.elf" -initrd "$kernel$modules" -append "$append")
[ -n "$cpu" ] && cmd+=(-cpu "$cpu")
[ "$exitdev" -eq 1 ] && cmd+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
"${cmd[@]}" </dev/null >"$tmp/qemu.out" 2>&1 &
qpid=$!

failmsg() {
  echo "stub-boot: FAILED: $1"
  echo "stub-boot: command: $(printf '%q ' "${cmd[@]}")"
  [ -s "$tmp/qemu.out" ] && tail -n 3 "$tmp/qemu.out" | sed 's/^/    qemu: /'
  tr -d '\r' < "$log" | tail -n 15 | sed 's/^/    /'
}
all_seen() {
  local e
  for e in "${expects[@]}"; do grep -Eq -- "$e" "$log" || return 1; done
}
deadline=$(( $(date +%s) + timeout ))
status=
while :; do
  if ! kill -0 "$qpid" 2>/dev/null; then wait "$qpid"; status=$?; qpid=; break; fi
  if [ ${#expects[@]} -gt 0 ] && [ -z "$want_exit" ] && all_seen; then break; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then failmsg "timeout after ${timeout}s"; exit 1; fi
  sleep 0.1
done
if [ -n "$shot" ]; then
  [ -n "$qpid" ] || { failmsg "QEMU exited before the screendump"; exit 1; }
  sleep 0.3
  python3 - "$tmp/mon" "$shot" <<'PY' || { failmsg "screendump failed"; exit 1; }
import socket, sys, time, os
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(("screendump %s\n" % sys.argv[2]).encode())
for _ in range(100):
    time.sleep(0.1)
    if os.path.exists(sys.argv[2]) and os.path.getsize(sys.argv[2]) > 0: break
time.sleep(0.2)
s.sendall(b"quit\n"); time.sleep(0.2)
PY
fi
for e in "${expects[@]}"; do
  grep -Eq -- "$e" "$log" || { failmsg "serial never matched /$e/"; exit 1; }
done
if [ -n "$want_exit" ] && [ "${status:-none}" != "$want_exit" ]; then
  failmsg "QEMU exit status ${status:-still running}, wanted $want_exit"; exit 1
fi
exit 0

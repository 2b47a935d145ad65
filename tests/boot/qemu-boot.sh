#!/usr/bin/env bash
# Boots one disk image (or a kernel through the test multiboot stub) in
# QEMU, or in Bochs, and waits for serial markers or the emulator's exit.
# Every boot in the tests goes through this script.
#
#   tests/boot/qemu-boot.sh --fw FW --image IMG [options] [-- extra qemu args]
#   tests/boot/qemu-boot.sh --stub KERNEL.elf "STUB OPTS -- CMDLINE" [options]
#
# firmware (--fw):
#   bios    QEMU + SeaBIOS            uefi   QEMU + OVMF (fresh VARS copy)
#   uefi32  QEMU + 32-bit OVMF (ovmf-ia32: only a Secure Boot build, so
#           q35 with SMM; no keys enrolled, so Secure Boot is off); boots
#           /EFI/BOOT/BOOTIA32.EFI on the 64-bit CPU
#   uefi-sb QEMU + OVMF enforcing Secure Boot with Debian's snakeoil keys
#           (OVMF_CODE_4M.snakeoil.fd, a fresh copy of its VARS; db holds
#           /usr/share/ovmf/PkKek-1-snakeoil.pem); q35 with SMM
#   uefi-setup  QEMU + Secure Boot OVMF in Setup Mode (no PK: fresh
#           OVMF_VARS_4M.fd); boots twice on the same VARS: the first boot
#           must end in a reset after "keys enrolled" (the loader's Setup
#           Mode enrolment), the expectations hold for the second
#   uboot   QEMU + U-Boot's UEFI (u-boot-qemu; use --machine pc --bus ide)
#   bochs   Bochs + its own BIOS and the LGPL VGA BIOS, on a copy of the
#           image (Bochs writes a lock file beside it); IDE only, no exit
#           device: the run ends on the serial markers and Bochs is killed
# --stub boots KERNEL with tests/kernel/mbstub (QEMU -kernel/-initrd, no disk);
#   --module "FILE [STRING]" adds a boot module for it (repeatable; no commas).
#
# options:
#   --machine pc|q35       (default q35)
#   --bus ide|ahci|virtio|nvme|usb-xhci|usb-ehci   (default: ide on pc, ahci on q35)
#   --mem SIZE             (default 512M)      --smp N (default 1)
#   --vga std|virtio|none  (default std)
#   --cpu MODEL            QEMU -cpu (default QEMU's qemu64); Bochs cpu model
#                          (default corei7_sandy_bridge_2600k, 64-bit)
#   --second-disk          attach a blank disk first and the image second,
#                          with bootindex on the image
#   --block-size N         the image's disk has N-byte logical (and physical)
#                          sectors: 4096 for a 4Kn disk (--bus virtio or nvme:
#                          QEMU has no other; SeaBIOS boots only NVMe ones)
#   --expect REGEX         serial must match (grep -E); repeatable
#   --fail-on REGEX        stop early and fail when serial matches this
#                          before every --expect did (1 s grace)
#   --exit N               QEMU must exit with status N (33 = SELFTEST PASS)
#   --no-exit-device       leave out isa-debug-exit (the kernel then halts)
#   --screendump FILE.ppm  after every --expect matched, save the screen
#                          through the monitor, then quit QEMU
#   --pmemsave ADDR LEN FILE   same moment: save guest memory
#   --timeout SECONDS      (default 120)
#   --log FILE             keep the serial log there (default: temp)
#   --print-cmd            print the emulator command line before running
#   --run                  interactive: no waiting, no timeout, window if any
# Exit status 0 when every expectation held. On failure the command and
# the tail of the serial log are printed.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${B:-$TOP/build}
fw= image= machine=q35 bus= mem=512M smp=1 vga=std cpu= timeout=${BOOT_TIMEOUT:-120}
log= want_exit= exitdev=1 shot= mem_save= print=0 run=0 second=0 stub_kernel= stub_append= stub_modules= bsize=
expects=() fail_on=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fw) fw=$2; shift ;;
    --image) image=$2; shift ;;
    --stub) stub_kernel=$2 stub_append=$3; fw=stub; shift 2 ;;
    --module) stub_modules+=",$2"; shift ;;
    --machine) machine=$2; shift ;;
    --bus) bus=$2; shift ;;
    --mem) mem=$2; shift ;;
    --smp) smp=$2; shift ;;
    --vga) vga=$2; shift ;;
    --cpu) cpu=$2; shift ;;
    --second-disk) second=1 ;;
    --block-size) bsize=$2; shift ;;
    --expect) expects+=("$2"); shift ;;
    --fail-on) fail_on+=("$2"); shift ;;
    --exit) want_exit=$2; shift ;;
    --no-exit-device) exitdev=0 ;;
    --screendump) shot=$2; shift ;;
    --pmemsave) mem_save="$2 $3 $4"; shift 3 ;;
    --timeout) timeout=$2; shift ;;
    --log) log=$2; shift ;;
    --print-cmd) print=1 ;;
    --run) run=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "qemu-boot.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
usage() { echo "qemu-boot.sh: $1" >&2; exit 2; }
if [ "$fw" = stub ]; then
  [ -f "$B/tests/mbstub.elf" ] && [ -f "$stub_kernel" ] || usage "--stub needs $B/tests/mbstub.elf and $stub_kernel"
else
  [ -n "$fw" ] && [ -n "$image" ] || usage "--fw and --image are required"
  [ -f "$image" ] || usage "$image: no such image"
fi
[ -n "$bus" ] || { [ "$machine" = pc ] || [ "$fw" = bochs ] && bus=ide || bus=ahci; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hyboot-boot.XXXXXX")
pid=
cleanup() {
  trap '' INT TERM      # a second signal must not cut the clean-up short
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null; sleep 0.2; kill -9 "$pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -n "$log" ] || log=$tmp/serial.log
: > "$log"
log=$(realpath "$log")

# ---- Bochs -----------------------------------------------------------------
# Bochs has no isa-debug-exit and no monitor; its debugger (Debian builds
# it in) reads "c" from -rc. A triple fault ends it (reset_on_triple_fault=0
# makes it a panic), so a CPU reset is a quick failure, not a loop.
bochs_cmd() {
  [ "$bus" = ide ] || usage "bochs: only --bus ide"
  [ "$vga" = std ] || usage "bochs: only --vga std"
  [ -z "$want_exit$shot$mem_save$bsize" ] && [ "$second" -eq 0 ] && [ ${#extra[@]} -eq 0 ] ||
    usage "bochs: no --exit, --screendump, --pmemsave, --second-disk, --block-size or extra arguments"
  local megs=${mem%[MmGg]}
  case "$mem" in *[Gg]) megs=$((megs * 1024)) ;; esac
  cp --sparse=always "$image" "$tmp/disk.img"
  cat > "$tmp/bochsrc" <<EOF
megs: $megs
cpu: model=${cpu:-corei7_sandy_bridge_2600k}, count=$smp, ips=50000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
vga: extension=vbe
display_library: rfb, options="timeout=0"
ata0-master: type=disk, path=disk.img, mode=flat
boot: disk
com1: enabled=1, mode=file, dev=$log
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
log: bochs.log
panic: action=fatal
error: action=report
info: action=ignore
EOF
  echo c > "$tmp/bochs.rc"
  cmd=(bochs -q -f bochsrc -rc bochs.rc)
}

# ---- QEMU ------------------------------------------------------------------
qemu_cmd() {
  local mach=$machine
  # Debian's 32-bit OVMF is built with Secure Boot, which needs SMM and a
  # flash only SMM code may write.
  case "$fw" in uefi32|uefi-sb|uefi-setup)
    [ "$machine" = q35 ] || usage "$fw: only --machine q35 (its OVMF needs SMM)"
    mach=q35,smm=on ;;
  esac
  cmd=(qemu-system-x86_64 -machine "$mach" -accel "${ACCEL:-tcg}" -m "$mem" -smp "$smp"
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
    stub) cmd+=(-kernel "$B/tests/mbstub.elf" -initrd "$stub_kernel$stub_modules" -append "$stub_append" "${extra[@]}"); return ;;
    uefi|uefi32|uefi-sb|uefi-setup)
      # OVMF: a code flash and a fresh copy of its variable store; the
      # Secure Boot builds need the flash only SMM may write
      local code vars secure=1
      case "$fw" in
        uefi) code=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd} vars=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd} secure=0 ;;
        uefi32) code=${OVMF32_CODE:-/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd} vars=${OVMF32_VARS:-/usr/share/OVMF/OVMF32_VARS_4M.fd} ;;
        uefi-sb) code=/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd vars=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd ;;
        uefi-setup) code=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd vars=/usr/share/OVMF/OVMF_VARS_4M.fd ;;
      esac
      cp "$vars" "$tmp/vars.fd"
      [ "$secure" -eq 1 ] && cmd+=(-global driver=cfi.pflash01,property=secure,value=on)
      cmd+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
            -drive "if=pflash,format=raw,unit=1,file=$tmp/vars.fd") ;;
    uboot) cmd+=(-bios "${UBOOT_ROM:-/usr/lib/u-boot/qemu-x86_64/u-boot.rom}") ;;
    *) usage "--fw must be bios, uefi, uefi32, uefi-sb, uefi-setup, uboot or bochs" ;;
  esac
  # snapshot=on: boots never write to the image, so parallel boots can share it.
  local drv="format=raw,snapshot=on,if=none,id=boot,file=$image"
  if [ "$second" -eq 1 ]; then
    truncate -s 64M "$tmp/blank.img"
    cmd+=(-drive "format=raw,if=none,id=blank,file=$tmp/blank.img")
  fi
  dev() { # dev ID BOOTINDEX UNIT: the device line for drive ID on $bus
    local id=$1 bi=$2
    case "$bus" in
      ide|ahci) echo "ide-hd,drive=$id,bus=ide.$3$bi" ;;
      virtio)   echo "virtio-blk-pci,drive=$id$bi" ;;
      nvme)     echo "nvme,drive=$id,serial=hyboot$3$bi" ;;
      usb-xhci) echo "usb-storage,drive=$id,bus=xhci.0$bi" ;;
      usb-ehci) echo "usb-storage,drive=$id,bus=ehci.0$bi" ;;
      *) usage "unknown bus $bus" ;;
    esac
  }
  case "$bus" in
    usb-xhci) cmd+=(-device qemu-xhci,id=xhci) ;;
    usb-ehci) cmd+=(-device usb-ehci,id=ehci) ;;
  esac
  cmd+=(-drive "$drv")
  # The sector size goes on the image's device only. QEMU's IDE/AHCI
  # disks take 512 only, its usb-storage reports 512 whatever it is given.
  local bs=
  if [ -n "$bsize" ]; then
    case "$bus" in virtio|nvme) ;; *) usage "--block-size: only on --bus virtio or nvme (QEMU's $bus disks have 512-byte sectors)" ;; esac
    bs=",logical_block_size=$bsize,physical_block_size=$bsize"
  fi
  if [ "$second" -eq 1 ]; then
    cmd+=(-device "$(dev blank "" 0)" -device "$(dev boot "$bs,bootindex=0" 1)")
  else
    cmd+=(-device "$(dev boot "$bs,bootindex=0" 0)")
  fi
  cmd+=("${extra[@]}")
}

if [ "$fw" = bochs ]; then bochs_cmd; else qemu_cmd; fi

if [ "$print" -eq 1 ] || [ "$run" -eq 1 ]; then printf '%q ' "${cmd[@]}"; echo; fi
if [ "$run" -eq 1 ]; then
  if [ "$fw" = bochs ]; then (cd "$tmp" && "${cmd[@]}"); else "${cmd[@]}"; fi
  exit $?
fi

failmsg() {
  echo "qemu-boot: FAILED: $1"
  echo "qemu-boot: command: $(printf '%q ' "${cmd[@]}")"
  if [ -s "$tmp/emu.out" ]; then
    echo "qemu-boot: ${cmd[0]} said:"
    grep -av 'lt_dlhandle\|loaded plugin\|^ALSA' "$tmp/emu.out" | tail -n 5 | awk '{ print "    " $0 }'
  fi
  [ -s "$tmp/bochs.log" ] && { echo "qemu-boot: bochs.log tail:"; tail -n 5 "$tmp/bochs.log" | awk '{ print "    " $0 }'; }
  echo "qemu-boot: serial log tail:"
  tr -d '\r' < "$log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tail -n 25 | awk '{ print "    " $0 }'
}
# Setup Mode: a first boot on the same VARS enrols the keys; the loader
# resets the machine, which ends QEMU (-no-reboot).
if [ "$fw" = uefi-setup ]; then
  timeout "$timeout" "${cmd[@]}" </dev/null >"$tmp/emu.out" 2>&1
  if ! grep -aq 'keys enrolled' "$log"; then
    failmsg "first boot (Setup Mode) did not enrol the keys"
    exit 1
  fi
  cp "$log" "$tmp/enrol.log"
  : > "$log"
  rm -f "$tmp/mon"
fi

if [ "$fw" = bochs ]; then    # Bochs finds its files (and writes its lock) in $tmp
  (cd "$tmp" && exec "${cmd[@]}") </dev/null >"$tmp/emu.out" 2>&1 &
else
  "${cmd[@]}" </dev/null >"$tmp/emu.out" 2>&1 &
fi
pid=$!

all_seen() {
  local e
  for e in "${expects[@]}"; do grep -Eaq -- "$e" "$log" || return 1; done
  return 0
}
failed_early() {
  local e
  for e in "${fail_on[@]}"; do grep -Eaq -- "$e" "$log" && { echo "$e"; return 0; }; done
  return 1
}

deadline=$(( $(date +%s) + timeout ))
status= grace=
while :; do
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; status=$?; pid=
    break
  fi
  if [ ${#expects[@]} -gt 0 ] && [ -z "$want_exit" ] && all_seen; then
    break
  fi
  if [ -z "$grace" ] && [ ${#fail_on[@]} -gt 0 ] && why=$(failed_early); then
    grace=$(( $(date +%s) + 1 ))   # the expected lines may still be on their way
  fi
  if [ -n "$grace" ] && [ "$(date +%s)" -gt "$grace" ]; then
    failmsg "serial matched /$why/ (a failure) before every expected line"
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    failmsg "timeout after ${timeout}s"
    exit 1
  fi
  sleep 0.1
done

# screendump and pmemsave through the QEMU monitor, then quit
if [ -n "$shot$mem_save" ]; then
  if [ -z "$pid" ]; then failmsg "QEMU exited before the screendump/pmemsave"; exit 1; fi
  sleep 0.5   # let the last glyphs reach the framebuffer
  python3 - "$tmp/mon" "$shot" $mem_save <<'PY' || { failmsg "screendump/pmemsave failed"; exit 1; }
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
def wait_for(path, size=None):
    for _ in range(100):
        if os.path.exists(path) and (os.path.getsize(path) == size if size else os.path.getsize(path) > 0):
            return
        time.sleep(0.1)
    sys.exit("monitor did not write %s" % path)
if sys.argv[2]:
    s.sendall(("screendump %s\n" % sys.argv[2]).encode()); wait_for(sys.argv[2])
if len(sys.argv) > 3:
    addr, size, out = sys.argv[3], int(sys.argv[4], 0), sys.argv[5]
    s.sendall(("pmemsave %s %d \"%s\"\n" % (addr, size, out)).encode()); wait_for(out, size)
time.sleep(0.3)
s.sendall(b"quit\n"); time.sleep(0.2)
PY
fi

ok=1
for e in "${expects[@]}"; do
  if ! grep -Eaq -- "$e" "$log"; then ok=0; failmsg "serial never matched /$e/"; break; fi
done
if [ "$ok" -eq 1 ] && [ -n "$want_exit" ]; then
  if [ -z "$status" ]; then ok=0; failmsg "QEMU still running, wanted exit $want_exit"
  elif [ "$status" != "$want_exit" ]; then ok=0; failmsg "QEMU exit status $status, wanted $want_exit"; fi
fi
[ "$ok" -eq 1 ] || exit 1
exit 0

#!/usr/bin/env bash
# make debug-bios / make debug-uefi: boots an image in QEMU halted before
# the firmware's first instruction, with QEMU's GDB stub listening, after
# writing GDB command files for the three programs one may want to stop in
# (docs/debugging.md):
#
#   build/debug/kernel.gdb   the kernel: symbols at their link addresses,
#                            a hardware breakpoint on kmain
#   build/debug/stage2.gdb   BIOS stage2 (32-bit, linked at 0x8000)
#   build/debug/uefi.gdb     BOOTX64.EFI: `hyboot-uefi-symbols BASE` loads
#                            its symbols once the loader printed its base
#
#   scripts/debug.sh bios|uefi [IMAGE]        (default images/disk.img)
# Environment: DEBUG_PORT (default 1234), DEBUG_DIR (default build/debug),
# QEMU_ARGS (more QEMU options), ACCEL (default tcg). QEMU runs in the
# foreground with the serial console on this terminal; end it with Ctrl-C
# or from GDB with `kill`.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build
fw=${1:-}
image=${2:-$TOP/images/disk.img}
port=${DEBUG_PORT:-1234}
dir=${DEBUG_DIR:-$B/debug}
case "$fw" in bios|uefi) ;; *) echo "usage: scripts/debug.sh bios|uefi [IMAGE]" >&2; exit 2 ;; esac
for f in "$image" "$B/kernel/kernel.debug.elf" "$B/bios/stage2.elf" "$B/uefi/BOOTX64.so"; do
  [ -f "$f" ] || { echo "debug.sh: $f missing (make disk.img)" >&2; exit 2; }
done
mkdir -p "$dir"

cat > "$dir/kernel.gdb" <<GDB
# GDB commands for the hyboot kernel (scripts/debug.sh writes this file).
#   gdb -x $dir/kernel.gdb       then: continue
set pagination off
set confirm off
set architecture i386:x86-64
# The kernel runs at its link addresses (0xffffffff80000000 and up)
# whatever physical base the loader picked: load the ELF as it is (the
# debug link: the image's kernel.elf has no DWARF and no symbols).
file $B/kernel/kernel.debug.elf
target remote 127.0.0.1:$port
# QEMU is stopped at the reset vector: no kernel is loaded yet, let alone
# mapped at 0xffffffff80000000. A software breakpoint (break) must be
# written into the code's memory, which does not exist yet (and the loader
# would copy the kernel over it later); a hardware breakpoint (hbreak) is an
# address the CPU compares against, so it takes effect whenever the kernel
# gets there. Up to 4 at a time.
hbreak kmain
echo hyboot: hardware breakpoint on kmain; type "continue" (c)\n
GDB

cat > "$dir/stage2.gdb" <<GDB
# GDB commands for BIOS stage2 (scripts/debug.sh writes this file).
#   gdb -x $dir/stage2.gdb       then: continue
# stage2 is 32-bit code linked at 0x8000; its ELF keeps the symbols. Under
# qemu-system-x86_64 GDB insists on the 64-bit register layout QEMU
# reports (set architecture i386 is refused), so symbols, breakpoints,
# step/next and variables work, but x/i decodes as 64-bit code and
# backtraces are unreliable. For a true 32-bit view see docs/debugging.md
# (qemu-system-i386).
set pagination off
set confirm off
set architecture i386:x86-64
target remote 127.0.0.1:$port
add-symbol-file $B/bios/stage2.elf
# stage1 (the MBR) runs at 0x7c00 in real mode: hbreak *0x7c00 stops
# there; GDB shows IP only, the linear address is CS*16+IP.
hbreak stage2_main
echo hyboot: hardware breakpoint on stage2_main; type "continue" (c)\n
GDB

cat > "$dir/uefi.gdb" <<GDB
# GDB commands for the UEFI loader BOOTX64.EFI (scripts/debug.sh writes this file).
#   gdb -x $dir/uefi.gdb
# The firmware picks where it loads the loader; the loader prints it first
# thing on serial ("hyboot: loader image base 0x..."), and OVMF picks the
# same address again on the next boot with the same QEMU options. Then:
#   hyboot-uefi-symbols 0x1de78000
#   hbreak efi_main
#   continue
set pagination off
set confirm off
set architecture i386:x86-64
target remote 127.0.0.1:$port
define hyboot-uefi-symbols
  # BOOTX64.so is linked at 0: its section addresses are offsets from the base
  add-symbol-file $B/uefi/BOOTX64.so -o \$arg0
end
document hyboot-uefi-symbols
Load BOOTX64.EFI's symbols for the image base the loader printed: hyboot-uefi-symbols 0x1de78000
end
echo hyboot: load the loader's symbols with: hyboot-uefi-symbols <image base>\n
GDB

cat <<MSG
hyboot: QEMU starts halted, GDB stub on 127.0.0.1:$port. In another terminal:
    gdb -x $dir/kernel.gdb       (the kernel: hbreak kmain, then continue)
    gdb -x $dir/stage2.gdb       (BIOS stage2)
    gdb -x $dir/uefi.gdb         (the UEFI loader)
  docs/debugging.md explains each. Serial output follows here; Ctrl-C ends QEMU.
MSG
# shellcheck disable=SC2086 # QEMU_ARGS is a list of words on purpose
exec "$TOP/tests/boot/qemu-boot.sh" --run --no-exit-device --fw "$fw" --image "$image" -- \
  -S -gdb "tcp:127.0.0.1:$port" ${QEMU_ARGS:-}

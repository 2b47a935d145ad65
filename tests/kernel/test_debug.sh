#!/usr/bin/env bash
# The kernel debugging recipe of docs/debugging.md, really run: `make
# debug-bios` / `make debug-uefi` start QEMU halted with its GDB stub and
# write build/debug/kernel.gdb; GDB (batch mode) sources that file, which
# plants a hardware breakpoint on kmain, continues, and must stop there with
# rip at kmain's address from the kernel's symbol table.
source "$(dirname "$0")/../lib.sh"
[ -f "$IMG" ] || { fail "image exists" "$IMG missing (make disk.img)"; finish; }
command -v gdb >/dev/null || { fail "gdb installed" "scripts/deps.sh installs it"; finish; }
kmain=$(nm "$B/kernel/kernel.debug.elf" | awk '$3 == "kmain" { print $1 }')
[ -n "$kmain" ] || { fail "kmain in the kernel's symbols"; finish; }

# A port nothing listens on (the kernel picks it; a race with another
# program binding it between here and QEMU is possible but harmless: the
# run then fails to start and says so).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

fws=(bios uefi)
[ "${QUICK:-0}" = 1 ] && fws=(bios)
for fw in "${fws[@]}"; do
  port=$(free_port) dir=$T/$fw log=$T/$fw-qemu.log
  # its own process group, so the clean-up below ends make, the script
  # and QEMU together, and nothing else
  setsid make -s -C "$TOP" "debug-$fw" DEBUG_PORT="$port" DEBUG_DIR="$dir" </dev/null >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do   # up to 10 s for make to find nothing to do and QEMU to listen
    [ -f "$dir/kernel.gdb" ] && python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
    sleep 0.1
  done
  t0=$(date +%s)
  out=$(timeout 120 gdb -batch -nx -x "$dir/kernel.gdb" -ex continue -ex 'info registers rip' 2>&1)
  t1=$(date +%s)
  kill -- -"$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  expect_match "$fw: kernel.gdb loads the kernel's symbols and plants a hardware breakpoint" "$out" \
    '^Hardware assisted breakpoint 1 at 0xffffffff8[0-9a-f]+: file kernel/main.c'
  if printf '%s\n' "$out" | grep -Eq "^Breakpoint 1, kmain \(bi=0x[0-9a-f]+\) at kernel/main.c"; then
    pass "$fw: the breakpoint hits in kmain ($((t1 - t0)) s from reset)"
  else
    fail "$fw: the breakpoint hits in kmain"
    printf '%s\n' "$out" | tail -n 8 | sed 's/^/    gdb: /'
    tail -n 5 "$log" | sed 's/^/    make: /'
  fi
  expect_match "$fw: rip is kmain's address (0x$kmain)" "$out" "^rip +0x0*$kmain +0x0*$kmain <kmain>"
done
finish

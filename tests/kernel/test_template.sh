#!/usr/bin/env bash
# template/ as a kernel author uses it: a clean copy outside the checkout,
# built with HYBOOT= pointing here, booted with its own `make run-bios` /
# `make run-uefi` (SeaBIOS, OVMF): hello, memory map and module count on
# serial, the hello on the screen. Then its module listing, through the
# test-only multiboot stub (which can hand over modules today).
source "$(dirname "$0")/../lib.sh"
FBCHECK=$B/tests/fbcheck
[ -x "$FBCHECK" ] || { fail "fbcheck built" "$FBCHECK missing"; finish; }

cp -r "$TOP/template" "$T/tpl"
rm -rf "$T/tpl/build"
check "template builds from a copy outside the checkout (HYBOOT=...)" make -s -C "$T/tpl" HYBOOT="$TOP"
check "its kernel is an ELF64 x86-64 executable" sh -c "readelf -h '$T/tpl/build/kernel.elf' | grep -q 'Type:.*EXEC' && readelf -h '$T/tpl/build/kernel.elf' | grep -q 'X86-64'"
out=$(make -C "$T/tpl" 2>&1 HYBOOT=/nonexistent)
expect_match "a wrong HYBOOT is named, not a compiler error" "$out" 'HYBOOT=/nonexistent is not a hyboot checkout'
out=$(make -n -C "$TOP/template" all 2>&1)
expect_match "inside the checkout HYBOOT defaults to the template's parent" "$out" "-I$TOP/common( |$)"

# run_target FW: `make run-FW` in its own process group, serial on stdout;
# waits for the last line, takes a screendump through a monitor socket,
# then ends that group.
run_target() {
  local fw=$1
  local log=$T/run-$fw.log mon=$T/mon-$fw
  setsid make -s -C "$T/tpl" HYBOOT="$TOP" "run-$fw" QEMU_ARGS="-monitor unix:$mon,server,nowait" \
    </dev/null >"$log" 2>&1 &
  local pid=$! deadline=$(( $(date +%s) + 120 )) ok=0
  while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
    if grep -q 'template: done, halting' "$log"; then ok=1; break; fi
    sleep 0.2
  done
  if [ $ok -eq 1 ]; then
    sleep 0.5
    python3 - "$mon" "$T/$fw.ppm" <<'PY'
import socket, sys, time, os
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(("screendump %s\n" % sys.argv[2]).encode())
for _ in range(50):
    time.sleep(0.1)
    if os.path.exists(sys.argv[2]) and os.path.getsize(sys.argv[2]) > 0: break
time.sleep(0.3)
PY
  fi
  kill -- -"$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return $((1 - ok))
}

for fw in bios uefi; do
  if run_target "$fw"; then
    pass "$fw: make run-$fw boots the template kernel to its last line"
  else
    fail "$fw: make run-$fw boots the template kernel to its last line"
    tr -d '\r' < "$T/run-$fw.log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' | tail -n 15 | sed 's/^/    /'
    continue
  fi
  out=$(tr -d '\r' < "$T/run-$fw.log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g')
  name=$([ "$fw" = bios ] && echo "hyboot-bios .* \(BIOS\)" || echo "hyboot-uefi .* \(UEFI\)")
  expect_match "$fw: hello and the loader" "$out" "^template: loader $name, protocol v[2-9]"
  expect_match "$fw: memory map lines" "$out" '^template: mem 0x[0-9a-f]+ \+0x[0-9a-f]+ usable$'
  expect_match "$fw: the kernel's own range is in the map" "$out" '^template: mem 0x[0-9a-f]+ \+0x[0-9a-f]+ kernel$'
  expect_match "$fw: usable total" "$out" '^template: [1-9][0-9]* MiB usable$'
  expect_match "$fw: module count" "$out" '^template: [0-9]+ modules$'
  if [ -s "$T/$fw.ppm" ]; then
    check "$fw: the hello is on the screen" "$FBCHECK" "$T/$fw.ppm" "Hello from the template kernel!"
  else
    fail "$fw: the hello is on the screen" "no screendump"
  fi
done

# modules, through the stub
printf 'initrd bytes\n' > "$T/initrd.img"
if out=$("$TOP/tests/boot/qemu-boot.sh" --log "$T/stub.log" --expect 'template: done, halting' \
           --module "$T/initrd.img root=/dev/ram0 quiet" --stub "$T/tpl/build/kernel.elf" "fb=1024x768x32 -- " 2>&1); then
  pass "the template kernel boots through the multiboot stub with a module"
  out=$(tr -d '\r' < "$T/stub.log")
  expect_match "module line: path, aligned address, size, string" "$out" \
    "^template: module $T/initrd.img at 0x[0-9a-f]+000, 13 bytes, \"root=/dev/ram0 quiet\"$"
  expect_match "module count" "$out" '^template: 1 modules$'
else
  fail "the template kernel boots through the multiboot stub with a module"
  printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /'
fi
finish

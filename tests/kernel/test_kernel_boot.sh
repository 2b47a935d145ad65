#!/usr/bin/env bash
# Boots the kernel in QEMU (TCG) through the test-only multiboot stub
# (tests/kernel/mbstub), independently of the real loaders: self-test in
# every display mode (VGA text, 32/24 bpp framebuffers with padded pitch,
# none), memory above 4 GiB, the 16 MiB pad, the alt variant, bench mode,
# every panic kind with its register dump on serial and screen, the v2
# fields (modules with their hashes, HHDM with 2 MiB and 1 GiB pages,
# SMBIOS 2 and 3, EDID, fake EFI tables, a newer loader), and the
# self-test's failure paths (the stub breaks one promise at a time).
source "$(dirname "$0")/../lib.sh"
QB="$TOP/tests/boot/qemu-boot.sh"
K=$B/kernel
FBCHECK=$B/tests/fbcheck
for f in "$B/tests/mbstub.elf" "$K/kernel.elf" "$FBCHECK"; do
  [ -f "$f" ] || { fail "prerequisite $f" "not built"; finish; }
done

# boot NAME [qemu-boot.sh options] KERNEL APPEND: one boot through the stub
# ("STUB OPTIONS -- KERNEL CMDLINE"); passes when qemu-boot.sh does
boot() {
  local name=$1; shift
  local n=$# out
  local opts=("${@:1:n-2}") kernel=${*:n-1:1} append=${*:n:1}
  if out=$("$QB" --log "$T/serial.log" --timeout "${BOOT_TIMEOUT:-60}" "${opts[@]}" --stub "$kernel" "$append" 2>&1); then pass "$name"
  else fail "$name"; printf '%s\n' "$out" | tail -n 18 | sed 's/^/    /'; fi
}
serial() { tr -d '\r' < "$T/serial.log"; }

# modules: 8 MiB of random bytes and a small text, both with their hash in
# the module string, and one without
head -c 8388608 /dev/urandom > "$T/big.bin"
printf 'hyboot module test\n' > "$T/small.txt"
printf 'no hash given\n' > "$T/plain.txt"
sha() { sha256sum "$1" | cut -c1-64; }
MODS=(--module "$T/big.bin sha256=$(sha "$T/big.bin") initrd" --module "$T/small.txt sha256=$(sha "$T/small.txt")"
      --module "$T/plain.txt a string")

# 1. the self-test passes: VGA text, 512 MiB
boot "selftest passes (VGA text)" --exit 33 --expect '^SELFTEST PASS' "$K/kernel.elf" "fb=vga -- test"
expect_eq "Hello World! is the kernel's first line" "$(serial | grep -v '^mbstub' | head -n 1)" "Hello World!"
expect_match "VGA text summary line" "$(serial)" '^hyboot: kernel framebuffer: VGA text 80x25$'

# 2. a panic: #UD, registers on serial and on the (VGA text) screen
boot "crash=ud panics and halts" --expect '^hyboot: kernel halted' --screendump "$T/ud.ppm" \
  "$K/kernel.elf" "fb=vga -- crash=ud"
out=$(serial)
expect_match "PANIC line for #UD" "$out" '^PANIC: #UD invalid opcode \(vector 6\) rip=0xffffffff8[0-9a-f]{7} cr2=0x[0-9a-f]+ err=0x0$'
expect_match "panic dumps general registers" "$out" '^  rax=0x[0-9a-f]{16} rbx=0x[0-9a-f]{16} rcx=0x[0-9a-f]{16}$'
expect_match "panic dumps r15, rflags, cs, ss" "$out" '^  r15=0x[0-9a-f]{16} rflags=0x[0-9a-f]+ cs=0x8 ss=0x10$'
expect_match "panic dumps control registers" "$out" '^  cr0=0x[0-9a-f]+ cr3=0x[0-9a-f]+ cr4=0x[0-9a-f]+$'
check "panic visible on the VGA text screen" "$FBCHECK" "$T/ud.ppm" "PANIC: #UD invalid opcode (vector 6)"
check "Hello World! visible on the VGA text screen" "$FBCHECK" "$T/ud.ppm" "Hello World!"

if [ "${QUICK:-0}" != 1 ]; then
  # 3. 32 bpp framebuffer, pitch wider than the line, above-4 GiB RAM, 16 MiB pad,
  #    three modules, the HHDM over 6 GiB in 2 MiB pages (QEMU's default CPU)
  boot "selftest passes (1024x768x32, padded pitch, 6 GiB, pad16, 3 modules)" --mem 6G --exit 33 --timeout 120 \
    "${MODS[@]}" "$K/kernel-pad16.elf" "fb=1024x768x32 pitchpad=24 -- test"
  out=$(serial)
  expect_match "framebuffer summary line" "$out" '^hyboot: kernel framebuffer: 1024x768 32bpp pitch 4192 at 0x[0-9a-f]+$'
  expect_match "memory above 4 GiB checked against CMOS" "$out" 'CMOS says 6144 MiB \(4096 MiB above 4 GiB\)'
  expect_match "the 16 MiB pad is checked" "$out" 'checking the 16 MiB pad'
  expect_match "v2 summary line: modules, HHDM in 2 MiB pages, SMBIOS, EDID, no EFI, boot time" "$out" \
    '^hyboot: kernel v2: 3 modules, HHDM [0-9]+ GiB \(2 MiB pages\), SMBIOS 2\.[0-9]+ at 0xf[0-9a-f]{4}, EDID (128|256) bytes \([0-9]+x[0-9]+\), no EFI system table, boot time 20[2-9][0-9]-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]$'
  expect_match "module 0 (8 MiB) hashed by the kernel: ok" "$out" "^hyboot: kernel module 0 $T/big.bin 8388608 bytes sha256 ok\$"
  expect_match "module 1 hashed: ok" "$out" "^hyboot: kernel module 1 $T/small.txt 19 bytes sha256 ok\$"
  expect_match "module 2 without a hash: not given" "$out" "^hyboot: kernel module 2 $T/plain.txt 14 bytes sha256 not given\$"

  # 3b. 1 GiB pages (-cpu max offers them); modules on screen as well
  boot "selftest passes with 1 GiB pages (-cpu max), 3 modules" --cpu max --mem 6G --no-exit-device --timeout 120 \
    --expect '^SELFTEST PASS' --screendump "$T/mods.ppm" "${MODS[@]}" "$K/kernel.elf" "fb=1024x768x32 -- test"
  expect_match "HHDM in 1 GiB pages" "$(serial)" '^hyboot: kernel v2: 3 modules, HHDM [0-9]+ GiB \(1 GiB pages\), '
  check "module verdict visible on the framebuffer" "$FBCHECK" "$T/mods.ppm" "hyboot: kernel module 0 $T/big.bin 8388608 bytes sha256 ok"
  check "v2 summary visible on the framebuffer" "$FBCHECK" "$T/mods.ppm" "hyboot: kernel v2: 3 modules, HHDM"

  # 3c. SMBIOS 3 entry point (QEMU's 64-bit entry point type)
  boot "selftest passes with an SMBIOS 3 entry point" --machine q35,smbios-entry-point-type=64 --exit 33 \
    "$K/kernel.elf" "fb=vga -- test"
  expect_match "SMBIOS 3.x in the summary" "$(serial)" '^hyboot: kernel v2: .*, SMBIOS 3\.[0-9]+ at 0xf[0-9a-f]{4}, '

  # 3d. the UEFI side of the checks, on tables the stub fakes
  boot "selftest passes with (fake) EFI tables" --exit 33 "$K/kernel.elf" "efi=fake fb=vga -- test"
  out=$(serial)
  expect_match "firmware UEFI, EFI system table in the summary" "$out" '^hyboot: kernel v2: .*, EFI system table at 0x[0-9a-f]+, boot time '
  expect_match "the kernel called EFI GetTime through the runtime services table" "$out" \
    'EFI GetTime status 0x8000000000000003, not compared'

  # 3e. a newer loader (version 3, larger size) still boots a v2 kernel
  boot "selftest passes for a newer boot_info version" --exit 33 "$K/kernel.elf" "newer fb=vga -- test"

  # 4. 24 bpp framebuffer: text on screen, found by fbcheck
  boot "24 bpp framebuffer boot" --expect '^hyboot: kernel done' --screendump "$T/fb24.ppm" \
    "$K/kernel.elf" "fb=800x600x24 pitchpad=8 -- hello world"
  check "Hello World! visible on a 24 bpp screen" "$FBCHECK" "$T/fb24.ppm" "Hello World!"
  check "cmdline line visible on a 24 bpp screen" "$FBCHECK" "$T/fb24.ppm" 'hyboot: kernel cmdline: "hello world"'
  prefixes=("Hello World!" "hyboot: kernel firmware=BIOS loader=" "hyboot: kernel image: phys 0x"
            "hyboot: kernel memory: " "hyboot: kernel framebuffer: 800x600 24bpp pitch 2424 "
            "hyboot: kernel v2: 0 modules, " "hyboot: kernel cmdline: \"hello world\"" "hyboot: kernel timing: loader "
            "hyboot: timing tsc_hz=")
  order_ok=1 i=0
  while IFS= read -r line; do
    [ $i -lt ${#prefixes[@]} ] || break
    [[ "$line" == "${prefixes[$i]}"* ]] || { order_ok=0; echo "    line $i: '$line' should start with '${prefixes[$i]}'"; }
    i=$((i + 1))
  done < <(serial | grep -v '^mbstub')
  [ $order_ok -eq 1 ] && [ $i -eq ${#prefixes[@]} ] && pass "summary lines in order" || fail "summary lines in order"
  expect_match "machine timing line" "$(serial)" \
    '^hyboot: timing tsc_hz=[0-9]+ handoff=[0-9]+ entry=[0-9]+ loaded=[0-9]+ jump=[0-9]+ kernel_bytes=[0-9]+ read_ticks=[0-9]+ read_calls=[0-9]+ kernel_entry=[0-9]+$'

  # 5. no display at all
  boot "selftest passes with no display (-vga none)" --vga none --exit 33 "$K/kernel.elf" "fb=none -- test"
  expect_match "serial-only summary line" "$(serial)" '^hyboot: kernel framebuffer: none \(serial only\)$'
  expect_match "no display, no EDID (absent is allowed)" "$(serial)" '^hyboot: kernel v2: .*, no EDID, '

  # 6. the alt variant announces itself right after Hello World!
  boot "kernel-alt boots" --expect '^hyboot: kernel done' "$K/kernel-alt.elf" "fb=vga -- "
  expect_eq "alt variant line follows Hello World!" "$(serial | grep -v '^mbstub' | head -n 2 | tr '\n' '|')" \
    "Hello World!|hyboot: kernel variant alt|"

  # 7. bench: exit right after the timing line and the kernel's exit stamp
  boot "bench mode exits with 33" --exit 33 "$K/kernel.elf" "fb=1024x768x32 -- bench"
  expect_eq "bench prints Hello World!, the timing line and the exit stamp only" \
    "$(serial | grep -v '^mbstub' | sed 's/tsc_hz=.*/tsc_hz=/; s/kernel_exit=[0-9]*$/kernel_exit=N/' | tr '\n' '|')" \
    "Hello World!|hyboot: timing tsc_hz=|hyboot: bench kernel_exit=N|"

  # 8. the other panics, on a framebuffer
  boot "crash=pf panics" --expect '^hyboot: kernel halted' --screendump "$T/pf.ppm" "$K/kernel.elf" "fb=1024x768x32 -- crash=pf"
  expect_match "PANIC line for #PF names the address" "$(serial)" \
    '^PANIC: #PF page fault \(vector 14\) rip=0xffffffff8[0-9a-f]{7} cr2=0x[1-9a-f][0-9a-f]* err=0x0$'
  check "panic visible on the framebuffer" "$FBCHECK" "$T/pf.ppm" "PANIC: #PF page fault (vector 14)"
  boot "crash=gp panics" --expect '^PANIC: #GP general protection \(vector 13\)' "$K/kernel.elf" "fb=vga -- crash=gp"
  boot "crash=de panics" --expect '^PANIC: #DE divide error \(vector 0\)' "$K/kernel.elf" "fb=vga -- crash=de"
  # a wrecked stack: #PF cannot push its frame, #DF runs on the IST stack
  boot "crash=stack gives a #DF panic, not a triple fault" --expect '^hyboot: kernel halted' \
    --expect '^PANIC: #DF double fault \(vector 8\) rip=0xffffffff8[0-9a-f]+ cr2=0x[0-9a-f]+ err=0x0' \
    "$K/kernel.elf" "fb=1024x768x32 -- crash=stack"

  # 9. a panic during the self-test reports SELFTEST FAIL and exits 35
  boot "exception in test mode exits 35" --exit 35 --expect '^SELFTEST FAIL: CPU exception #UD' \
    "$K/kernel.elf" "fb=vga -- test crash=ud"

  # 10. the self-test catches broken promises, each with its own reason
  boot "selftest catches a bad magic" --exit 35 --expect '^SELFTEST FAIL: boot_info magic' \
    "$K/kernel.elf" "corrupt=magic -- test"
  boot "selftest catches a broken memory map" --exit 35 --expect '^SELFTEST FAIL: memory map: ' \
    "$K/kernel.elf" "corrupt=map -- test"
  boot "selftest catches a too-small stack" --exit 35 --expect '^SELFTEST FAIL: entry stack is 4096 bytes' \
    "$K/kernel.elf" "corrupt=stack -- test"
  boot "selftest catches a wrong kernel_phys_base" --exit 35 \
    --expect '^SELFTEST FAIL: kernel 0x[0-9a-f]+\+0x[0-9a-f]+ not inside a kernel region' \
    "$K/kernel.elf" "corrupt=kernelbase -- test"
  expect_match "page walk sees the mapping differs from kernel_phys_base" "$(serial)" \
    'failed: page tables map 0xffffffff8[0-9a-f]+ to 0x[0-9a-f]+, kernel_phys_base says 0x'
  expect_match "every failure is listed, not just the first" "$(serial)" 'kernel selftest: [2-9] of [0-9]+ checks failed' 
  boot "selftest catches a .bss the loader did not zero" --exit 35 \
    --expect '^SELFTEST FAIL: kernel .bss was not zeroed by the loader' "$K/kernel.elf" "corrupt=bss -- test"
  boot "selftest catches a damaged pad (short read)" --exit 35 --timeout 120 \
    --expect '^SELFTEST FAIL: pad content wrong at offset 0xfffff8 ' "$K/kernel-pad16.elf" "corrupt=pad -- test"

  # 11. the same for every v2 check: broken WORD REGEX [stub-boot options]
  broken() {
    local word=$1 re=$2; shift 2
    boot "selftest catches corrupt=$word" --exit 35 --expect "^SELFTEST FAIL: $re" "$@" "$K/kernel.elf" "corrupt=$word -- test"
  }
  broken version "boot_info version older than this kernel's"
  broken size "boot_info smaller than this kernel's struct"
  broken flags 'flags 0x100: unknown bits 0x100'
  broken secureboot 'flags say Secure Boot under BIOS'
  broken modentry 'module_entry_size 24, want at least 32' "${MODS[@]}"
  broken modalign "module 0 $T/big.bin at 0x[0-9a-f]+ is not 4 KiB aligned" "${MODS[@]}"
  broken modrange "module 0 $T/big.bin at 0x[0-9a-f]+\\+0x800000 is not inside a module range of the map" "${MODS[@]}"
  broken modpath 'module 0: path at 0x[0-9a-f]+ is not NUL-terminated within 128 bytes' "${MODS[@]}"
  broken modhash "module 0 $T/big.bin: sha256 mismatch" "${MODS[@]}"
  broken modstray 'module range 0x[0-9a-f]+\+0x[0-9a-f]+ of the map: 0x1000 bytes belong to no listed module' "${MODS[@]}"
  broken hhdmoffset 'hhdm_offset 0xffff800040000000, want 0xffff800000000000'
  broken hhdmsize 'hhdm_size 0x40000000 does not reach 4 GiB or the top of RAM'
  broken hhdmmap 'HHDM does not map phys 0x[0-9a-f]+ .* at 0xffff8'
  broken hhdm1g 'flags say the HHDM uses 1 GiB pages, but it starts with a 2048 KiB page'
  broken efi 'EFI fields set under BIOS \(system table 0xf0000'
  boot "selftest catches corrupt=efisig (fake UEFI)" --exit 35 \
    --expect '^SELFTEST FAIL: EFI system table at 0x[0-9a-f]+: signature 0x5453595320494248, want 0x5453595320494249' \
    "$K/kernel.elf" "efi=fake corrupt=efisig -- test"
  boot "selftest catches corrupt=efimap (fake UEFI)" --exit 35 \
    --expect '^SELFTEST FAIL: EFI memory map: descriptor 1: start 0x[0-9a-f]+ not 4 KiB aligned' \
    "$K/kernel.elf" "efi=fake corrupt=efimap -- test"
  broken smbios 'SMBIOS entry point at 0x[0-9a-f]+: "_SM_" checksum over 0x1f bytes is not 0'
  boot "selftest catches corrupt=smbios (SMBIOS 3)" --exit 35 --machine q35,smbios-entry-point-type=64 \
    --expect '^SELFTEST FAIL: SMBIOS 3 entry point at 0x[0-9a-f]+: "_SM3_" checksum' "$K/kernel.elf" "corrupt=smbios -- test"
  broken nosmbios 'SMBIOS entry point reported at 0x0, but the F segment has it at 0xf'
  broken edid 'EDID at 0x[0-9a-f]+: EDID block 0 checksum is not 0'
  broken edidsize 'EDID at 0x[0-9a-f]+: EDID size 100 is not a positive multiple of 128'
  broken time 'boot_time 1000000000 \(2001-09-09 01:46:40\) is not between 2020 and 2100'
  broken timeskew 'boot_time 20[0-9-]+ [0-9:]+, but the RTC reads 20'
fi
finish

#!/usr/bin/env bash
# ExitBootServices retry: a test build of the loader
# (build/uefi/test/BOOTX64-mapchange.EFI, -DHYBOOT_TEST_MAP_CHANGE)
# allocates a page between its GetMemoryMap and its first ExitBootServices,
# so the first call must fail on the stale map key; the loader must fetch
# the map again, exit on the second attempt and still boot the kernel.
# Skipped with QUICK=1.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/uefi_lib.sh"
cd "$TOP"
[ "${QUICK:-0}" = 1 ] && { echo "info: uefi/ebs-retry skipped (QUICK=1)"; exit 0; }
TEST_EFI="$B/uefi/test/BOOTX64-mapchange.EFI"
need_file "$TEST_EFI" uefi/ebs-retry "make $TEST_EFI"
need_file "$B/kernel/kernel.elf" uefi/ebs-retry "make $B/kernel/kernel.elf"

if out=$("$MKIMAGE" -c images/disk.conf --efi "$TEST_EFI" -o "$T/retry.img" 2>&1); then
  uefi_boot "uefi/ebs-retry: a changed map key is retried and the kernel boots" "$T/retry.log" \
    --image "$T/retry.img" --expect 'hyboot: uefi test: ExitBootServices succeeded on attempt 2' \
    --expect '^Hello World!' --expect 'SELFTEST PASS' --exit 33
else
  fail "uefi/ebs-retry: a changed map key is retried and the kernel boots" "mkimage: $out"
fi
finish

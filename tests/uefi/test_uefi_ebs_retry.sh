#!/usr/bin/env bash
# ExitBootServices retry: a test build of the loader
# (build/uefi/test/BOOTX64-mapchange.EFI, -DHYBOOT_TEST_MAP_CHANGE=1)
# allocates a page between its GetMemoryMap and its first ExitBootServices,
# so the first call must fail on the stale map key; the loader must fetch
# the map again, exit on the second attempt and still boot the kernel.
# BOOTX64-mapchurn.EFI (=2) changes the map before every attempt: the
# loader must give up with its error line on COM1 (ConOut may no longer
# be used) and not jump. Skipped with QUICK=1.
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

CHURN_EFI="$B/uefi/test/BOOTX64-mapchurn.EFI"
need_file "$CHURN_EFI" uefi/ebs-retry "make $CHURN_EFI"
if out=$("$MKIMAGE" -c images/disk.conf --efi "$CHURN_EFI" -o "$T/churn.img" 2>&1); then
  uefi_boot "uefi/ebs-retry: a map that keeps changing ends in the ExitBootServices error" "$T/churn.log" \
    --image "$T/churn.img" --expect 'hyboot: error: ExitBootServices failed'
  if clean_log "$T/churn.log" | grep -q 'Hello World!'; then
    fail "uefi/ebs-retry: no jump to the kernel after a failed exit" "the kernel ran"
  else
    pass "uefi/ebs-retry: no jump to the kernel after a failed exit"
  fi
else
  fail "uefi/ebs-retry: a map that keeps changing ends in the ExitBootServices error" "mkimage: $out"
fi
finish

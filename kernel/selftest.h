/* The `test` cmdline word: check the boot_info and machine state against
 * docs/protocol.md, print SELFTEST PASS / SELFTEST FAIL: <reason>, and
 * write QEMU_EXIT_PASS / QEMU_EXIT_FAIL to the isa-debug-exit port. */
#ifndef HYBOOT_KERNEL_SELFTEST_H
#define HYBOOT_KERNEL_SELFTEST_H

#include <stdint.h>

#include "boot_info.h"

/* entry_*: rsp, rflags and TSC as _start found them; bss_was_dirty: _start
 * found non-zero bytes in .bss (the loader did not zero it). Returns only when
 * QEMU did not exit (no isa-debug-exit device, or real hardware). */
void selftest_run(const struct boot_info *bi, uint64_t entry_rsp, uint64_t entry_rflags, uint64_t entry_tsc,
                  int bss_was_dirty);

#endif

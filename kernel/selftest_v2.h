/* The self-test's checks of the fields boot_info version 2 added
 * (docs/protocol.md): modules, the higher-half direct map, the EFI
 * tables, SMBIOS, EDID, boot time and flags; and the one-line summary of
 * them that every boot prints. */
#ifndef HYBOOT_KERNEL_SELFTEST_V2_H
#define HYBOOT_KERNEL_SELFTEST_V2_H

#include <stddef.h>

#include "boot_info.h"
#include "selftest_util.h"

/* Runs every v2 check; prints one line per module
 * ("hyboot: kernel module N <path> <size> bytes sha256 ok|MISMATCH|not given"). */
void selftest_v2(struct st *st, const struct boot_info *bi);

/* "hyboot: kernel v2: 3 modules, HHDM 6 GiB (1 GiB pages), SMBIOS 3.0 at
 * 0x..., EDID 256 bytes (1280x800), EFI system table at 0x..., boot time
 * 2026-12-02 03:14:15". Reads only what is identity-mapped, so a broken
 * boot_info gives "invalid" words, not a fault. */
void v2_summary_line(const struct boot_info *bi, char *buf, size_t n);

#endif

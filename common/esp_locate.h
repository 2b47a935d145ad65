/* Where the EFI system partition is: one set of rules and limits for
 * stage2 (bios/esp.c is a thin wrapper) and --inspect (which reports what
 * stage2 will do), driven by a read callback so it runs on any disk, an
 * image file or a memory buffer.
 *
 * The rules, in order (docs/media.md, "Finding the ESP"):
 *  1. LBA 0. A valid MBR (55 AA) without an 0xEE entry is an MBR disk:
 *     its partitions count, any GPT is ignored (as UEFI firmware does).
 *  2. The primary GPT at LBA 1: header and entry array checked (CRCs,
 *     every LBA inside the disk before it is read). A valid one is used,
 *     whether or not it lists an ESP.
 *  3. If the primary is bad or unreadable: the backup GPT, at the disk's
 *     last LBA, else at the primary header's alternate_lba (when that
 *     header itself was sound), as UEFI requires.
 *  4. No ESP from a GPT: the MBR's first 0xEF entry, else its first 0x0C
 *     (FAT32 LBA) entry, inside the disk.
 * An ESP must be non-empty and lie inside the disk (and inside the GPT's
 * usable LBAs). A read error is a reason to fall back, never a hang. */
#ifndef HYBOOT_ESP_LOCATE_H
#define HYBOOT_ESP_LOCATE_H

#include <stdint.h>

#include "gpt.h"

struct esp_info {
    uint64_t lba;                 /* first sector of the ESP */
    uint64_t sectors;
    uint32_t mbr_signature;       /* bytes 440..443 of LBA 0 */
    uint8_t  disk_guid[16];       /* zero when found through the MBR */
    uint8_t  esp_guid[16];
    const char *how;              /* "GPT", "backup GPT", "MBR entry type 0xEF", ... */
    uint64_t gpt_lba;             /* header the ESP came from (0: not a GPT) */
    const char *gpt_problem;      /* why the primary GPT was not used, or NULL */
    const char *backup_problem;   /* why the backup was not used (when tried), or NULL */
    uint64_t bad_lba;             /* a read that failed along the way (0: none) */
    int      mbr_valid;           /* 55 AA at the end of LBA 0 */
    int      protective;          /* the MBR has an 0xEE entry */
};

/* 0 when an ESP was found, -1 when the disk has none these rules find. */
int esp_locate(const struct gpt_disk *d, struct esp_info *out);

#endif

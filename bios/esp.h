/* Finding the EFI system partition on the boot disk: the GPT first (the
 * primary header at LBA 1 only: after a dd onto a larger disk the backup
 * is not at the end, and we never need it), the MBR as a fallback. */
#ifndef HYBOOT_BIOS_ESP_H
#define HYBOOT_BIOS_ESP_H

#include <stdint.h>

#include "disk.h"

struct esp_info {
    uint64_t lba;                 /* first sector of the ESP */
    uint64_t sectors;
    uint32_t mbr_signature;       /* bytes 440..443 of LBA 0 */
    uint8_t  disk_guid[16];       /* zero when found through the MBR */
    uint8_t  esp_guid[16];
    const char *how;              /* "GPT", "MBR type 0xEF", ... */
    const char *gpt_problem;      /* why the GPT was not used, or NULL */
};

/* 0 when found, -1 when the disk has no ESP we recognise. */
int esp_find(struct disk *d, struct esp_info *out);

#endif

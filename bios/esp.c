/* stage2's side of the ESP search: its disk as a struct gpt_disk. */
#include "esp.h"

/* 16 KiB of GPT entries per read: 32 sectors of 512, 4 of 4096 (the
 * whole array either way). */
#define SCRATCH_BYTES (16 * 1024)

int esp_find(struct disk *d, struct esp_info *out)
{
    static uint8_t scratch[SCRATCH_BYTES];
    struct gpt_disk g = {
        .read = disk_read, .ctx = d, .sectors = disk_sectors(d), .sector_size = d->sector_size,
        .buf = scratch, .buf_len = sizeof scratch,
    };
    return esp_locate(&g, out);
}

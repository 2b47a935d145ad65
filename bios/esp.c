/* stage2's side of the ESP search: its disk as a struct gpt_disk. */
#include "esp.h"

#define SCRATCH_SECTORS 32        /* 16 KiB of GPT entries per read */

int esp_find(struct disk *d, struct esp_info *out)
{
    static uint8_t scratch[SCRATCH_SECTORS * 512];
    struct gpt_disk g = {
        .read = disk_read, .ctx = d, .sectors = disk_sectors(d), .sector_size = 512,
        .buf = scratch, .buf_len = sizeof scratch,
    };
    return esp_locate(&g, out);
}

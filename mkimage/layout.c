/* Where each region of the image goes (docs/mkimage.md, "What goes where"):
 * LBA 0 MBR, 1..33 primary GPT, 40..2047 BIOS boot partition, 2048.. ESP
 * (capped at 2^32-1 sectors, FAT32's limit, and ending 4 KiB aligned), last 33 LBAs backup GPT. */
#include "mk_disk.h"

uint64_t mk_layout_esp_sectors(uint64_t total)
{
    if (total < MK_ESP_FIRST_LBA + MK_GPT_TAIL + 1 + 1)
        return 0;
    uint64_t last_usable = total - MK_GPT_TAIL - 1;
    uint64_t n = last_usable - MK_ESP_FIRST_LBA + 1;
    if (n > MK_ESP_MAX_SECTORS)
        n = MK_ESP_MAX_SECTORS;
    /* End on a 4 KiB boundary too: partitioning tools warn about
     * unaligned ends, and 4K-sector devices want whole blocks. */
    return n & ~(uint64_t)(MK_ESP_END_ALIGN - 1);
}

int mk_layout_compute(struct mk_layout *l, uint64_t total)
{
    uint64_t esp = mk_layout_esp_sectors(total);
    if (esp == 0)
        return -1;
    l->total_sectors = total;
    l->last_usable = total - MK_GPT_TAIL - 1;
    l->bios_first = MK_BIOS_FIRST_LBA;
    l->bios_last = MK_ESP_FIRST_LBA - 1;
    l->esp_first = MK_ESP_FIRST_LBA;
    l->esp_last = MK_ESP_FIRST_LBA + esp - 1;
    return 0;
}

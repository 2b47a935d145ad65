/* Where each region of the image goes (docs/mkimage.md, "What goes where"):
 * LBA 0 MBR, the primary GPT from LBA 1, the BIOS boot partition from the
 * first 4 KiB-aligned LBA after it, the ESP from 1 MiB (capped at 2^32-1
 * sectors, FAT32's limit, and ending 4 KiB aligned), the backup GPT in the
 * last LBAs. All in LBAs of the image's sector size (mk_disk.h). */
#include "mk_disk.h"

uint64_t mk_layout_esp_sectors(uint64_t total, uint32_t ss)
{
    uint64_t first = mk_esp_first_lba(ss), tail = mk_gpt_tail(ss);
    if (total < first + tail + 1 + 1)
        return 0;
    uint64_t last_usable = total - tail - 1;
    uint64_t n = last_usable - first + 1;
    if (n > MK_ESP_MAX_SECTORS)
        n = MK_ESP_MAX_SECTORS;
    /* End on a 4 KiB boundary too: partitioning tools warn about
     * unaligned ends, and 4K-sector devices want whole blocks. */
    uint64_t align = MK_ALIGN_BYTES / ss;
    return n / align * align;
}

int mk_layout_compute(struct mk_layout *l, uint64_t total, uint32_t ss)
{
    uint64_t esp = mk_layout_esp_sectors(total, ss);
    if (esp == 0)
        return -1;
    l->sector_size = ss;
    l->total_sectors = total;
    l->last_usable = total - mk_gpt_tail(ss) - 1;
    l->bios_first = mk_bios_first_lba(ss);
    l->esp_first = mk_esp_first_lba(ss);
    l->bios_last = l->esp_first - 1;
    l->esp_last = l->esp_first + esp - 1;
    return 0;
}

/* The plan as bytes: MBR, both GPTs, stage2 and the ESP, as the non-zero
 * regions of an mk_image, in LBAs of the image's sector size. */
#include "mk_plan.h"

#include <string.h>

#include "crc32.h"

void mk_plan_render(struct mk_plan *p, struct mk_image *img)
{
    const struct mk_layout *l = &p->layout;
    const uint64_t ss = l->sector_size, nent = mk_gpt_entry_sectors(l->sector_size);
    img->size = l->total_sectors * ss;

    /* LBA 0 .. 1 + nent: MBR, primary GPT header and entries. */
    uint8_t *head = mk_image_chunk(img, 0, (2 + nent) * ss);
    mk_mbr_build(head, l, p->stage1.data, p->stage1.size, p->stage2_sectors);
    if (l->mbr != MK_MBR_ONLY) {
        uint8_t *entries = head + 2 * ss;
        struct gpt_header h;
        mk_gpt_entries(l, entries);
        uint32_t crc = crc32_update(0, entries, GPT_ENTRIES_BYTES);
        mk_gpt_header(l, crc, 0, &h);
        memcpy(head + ss, &h, sizeof h);
        /* Backup: entries then header in the last LBAs. */
        uint64_t tail_n = mk_gpt_tail(l->sector_size);
        uint8_t *tail = mk_image_chunk(img, (l->total_sectors - tail_n) * ss, tail_n * ss);
        memcpy(tail, entries, GPT_ENTRIES_BYTES);
        mk_gpt_header(l, crc, 1, &h);
        memcpy(tail + nent * ss, &h, sizeof h);
    }
    if (p->stage2.path) {
        uint8_t *s2 = mk_image_chunk(img, l->bios_first * ss, (uint64_t)p->stage2_sectors * ss);
        memcpy(s2, p->stage2.data, (size_t)p->stage2.size);
    }
    mk_fat_emit(&p->fat, l->esp_first, img);
}

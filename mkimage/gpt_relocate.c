/* An image written to a bigger disk: its backup GPT belongs at the disk's
 * last sector, not at the image's. Left where `dd` puts it, sgdisk, gdisk
 * and some firmware report a damaged table; the primary header's
 * "alternate LBA" must point at the real backup. The partitions do not
 * move; the usable area grows to the disk's end so the free space can be
 * partitioned later. */
#include "mk_flash.h"
#include "mk_disk.h"

#include <string.h>

int mk_gpt_relocate(const struct gpt_header *img, uint64_t dev_sectors, uint32_t ss,
                    struct gpt_header *primary, struct gpt_header *backup)
{
    uint64_t entry_sectors = gpt_entry_sectors(img, ss);
    uint64_t last = dev_sectors - 1;
    if (dev_sectors < entry_sectors + 2 || last - entry_sectors - 1 < img->last_usable_lba)
        return -1;
    *primary = *img;
    primary->my_lba = 1;
    primary->alternate_lba = last;
    primary->last_usable_lba = last - entry_sectors - 1;
    primary->header_crc32 = gpt_header_crc(primary);

    *backup = *primary;
    backup->my_lba = last;
    backup->alternate_lba = 1;
    backup->entries_lba = last - entry_sectors;
    backup->header_crc32 = gpt_header_crc(backup);
    return 0;
}

int mk_mbr_grow_protective(uint8_t mbr[512], uint64_t img_sectors, uint64_t dev_sectors)
{
    if (mbr[MBR_SIG_OFFSET] != 0x55 || mbr[MBR_SIG_OFFSET + 1] != 0xaa || dev_sectors == img_sectors)
        return 0;
    struct mbr_part e[4];
    memcpy(e, mbr + MBR_TABLE_OFFSET, sizeof e);
    int used = 0, ee = -1;
    for (int i = 0; i < 4; i++) {
        if (e[i].type) {
            used++;
            if (e[i].type == MBR_TYPE_GPT_PROTECT)
                ee = i;
        }
    }
    uint64_t whole = img_sectors - 1 > 0xffffffffULL ? 0xffffffffULL : img_sectors - 1;
    /* Only the textbook protective MBR: one 0xEE entry from LBA 1 over the
     * whole image. A hybrid MBR's 0xEE entry covers only the GPT area. */
    if (used != 1 || ee < 0 || e[ee].lba_first != 1 || e[ee].lba_count != whole)
        return 0;
    mk_mbr_entry(&e[ee], MBR_TYPE_GPT_PROTECT, e[ee].status == MBR_ACTIVE, 1, dev_sectors - 1);
    memcpy(mbr + MBR_TABLE_OFFSET, e, sizeof e);
    return 1;
}

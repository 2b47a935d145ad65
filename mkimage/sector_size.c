/* Which sector size an image was made for, from its own bytes: --inspect
 * reports it and compares it with a device's; --write-device refuses a
 * device of the other size. The GPT header sits at LBA 1, byte 512 or
 * 4096; an MBR-only image's FAT boot sector names its sector size. */
#include "mk_disk.h"

#include <string.h>

#include "fat.h"

static int gpt_at(mk_read_at_fn read, void *ctx, uint64_t bytes, uint32_t ss)
{
    struct gpt_header h;
    if ((uint64_t)ss + sizeof h > bytes || read(ctx, ss, &h, sizeof h) != 0)
        return 0;
    return gpt_header_check(&h, 1) == NULL;
}

/* The MBR's first FAT-type entry, at ss bytes per LBA, leads to a FAT
 * boot sector that says ss bytes per sector. */
static int fat_at(mk_read_at_fn read, void *ctx, uint64_t bytes, uint32_t ss)
{
    uint8_t mbr[512], bs[512];
    if (read(ctx, 0, mbr, sizeof mbr) != 0 || mbr[MBR_SIG_OFFSET] != 0x55 || mbr[MBR_SIG_OFFSET + 1] != 0xaa)
        return 0;
    for (int i = 0; i < 4; i++) {
        struct mbr_part p;
        memcpy(&p, mbr + MBR_TABLE_OFFSET + 16 * i, sizeof p);
        if (p.type != MBR_TYPE_EFI_SYSTEM && p.type != MBR_TYPE_FAT32_LBA && p.type != 0x0b && p.type != 0x06 &&
            p.type != 0x0e && p.type != 0x01)
            continue;
        uint64_t off = (uint64_t)p.lba_first * ss;
        if (!p.lba_first || off + sizeof bs > bytes || read(ctx, off, bs, sizeof bs) != 0)
            return 0;
        struct fat_bpb b;
        memcpy(&b, bs, sizeof b);
        return bs[510] == 0x55 && bs[511] == 0xaa && b.bytes_per_sector == ss;
    }
    return 0;
}

uint32_t mk_image_sector_size(mk_read_at_fn read, void *ctx, uint64_t bytes, uint32_t prefer, const char **how)
{
    static const uint32_t sizes[] = { MK_SECTOR_MIN, MK_SECTOR_MAX };
    int gpt[2], n = 0;
    for (int i = 0; i < 2; i++)
        n += gpt[i] = gpt_at(read, ctx, bytes, sizes[i]);
    if (n) {
        /* Both (an image made to work either way): the device decides. */
        int pick = n == 2 && prefer == MK_SECTOR_MAX ? 1 : gpt[0] ? 0 : 1;
        *how = pick ? "its GPT header is at byte 4096" : "its GPT header is at byte 512";
        return sizes[pick];
    }
    for (int i = 0; i < 2; i++)
        if (fat_at(read, ctx, bytes, sizes[i])) {
            *how = i ? "no GPT; its MBR's FAT partition has 4096-byte sectors"
                     : "no GPT; its MBR's FAT partition has 512-byte sectors";
            return sizes[i];
        }
    if (prefer == MK_SECTOR_MAX) {
        *how = "no GPT header or FAT boot sector says; the device's";
        return MK_SECTOR_MAX;
    }
    *how = "no GPT header or FAT boot sector says; assumed";
    return MK_SECTOR_MIN;
}

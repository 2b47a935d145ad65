/* LBA 0: stage1 code, disk signature and the MBR partition table
 * (hybrid, protective or MBR-only), with consistent CHS fields. */
#include "mk_disk.h"
#include "mk.h"

#include <stdio.h>
#include <string.h>

#define CHS_HEADS   255u
#define CHS_SECTORS 63u

void mk_chs(uint64_t lba, uint8_t out[3])
{
    uint64_t cyl = lba / (CHS_HEADS * CHS_SECTORS);
    if (cyl > 1023) {
        /* The usual "use LBA" marker: cylinder 1023, head 254, sector 63. */
        out[0] = 0xfe;
        out[1] = 0xff;
        out[2] = 0xff;
        return;
    }
    uint32_t head = (uint32_t)((lba / CHS_SECTORS) % CHS_HEADS);
    uint32_t sect = (uint32_t)(lba % CHS_SECTORS) + 1;
    out[0] = (uint8_t)head;
    out[1] = (uint8_t)(sect | ((cyl >> 2) & 0xc0));
    out[2] = (uint8_t)(cyl & 0xff);
}

static uint32_t clamp32(uint64_t v) { return v > 0xffffffffULL ? 0xffffffffu : (uint32_t)v; }

void mk_mbr_entry(struct mbr_part *e, uint8_t type, int active, uint64_t first, uint64_t count)
{
    memset(e, 0, sizeof *e);
    e->status = active ? MBR_ACTIVE : 0;
    e->type = type;
    mk_chs(first, e->chs_first);
    mk_chs(first + count - 1, e->chs_last);
    e->lba_first = clamp32(first);
    /* A partition reaching past 2 TiB keeps as much as 32 bits can say;
     * the GPT holds the true extent. */
    e->lba_count = clamp32(count);
}

/* The boot code of an image without stage1 (bios/nobios.asm, made into
 * this array by mkimage/build.mk). */
#include "nobios.h"

void mk_mbr_build(uint8_t s[512], const struct mk_layout *l,
                  const uint8_t *stage1, uint64_t stage1_size, uint32_t stage2_sectors)
{
    memset(s, 0, 512);
    if (stage1) {
        memcpy(s, stage1, (size_t)stage1_size);
        struct stage1_patch p = {
            .magic = STAGE1_PATCH_MAGIC,
            .stage2_sectors = stage2_sectors,
            .stage2_lba = l->bios_first,
        };
        memcpy(s + STAGE1_PATCH_OFFSET, &p, sizeof p);
    } else {
        memcpy(s, mk_nobios_code, mk_nobios_code_len);
    }
    mk_put32(s + MBR_DISK_SIG_OFFSET, l->disk_signature);

    struct mbr_part e[4];
    memset(e, 0, sizeof e);
    uint64_t esp_count = l->esp_last - l->esp_first + 1;
    switch (l->mbr) {
    case MK_MBR_HYBRID:
        /* 0xEE first and starting at LBA 1: that is what UEFI firmware
         * looks for. It covers the GPT and the BIOS boot partition, the
         * second entry mirrors the ESP for BIOSes that want an active
         * partition and for MBR-only systems. */
        mk_mbr_entry(&e[0], MBR_TYPE_GPT_PROTECT, l->active_ee, 1, l->esp_first - 1);
        mk_mbr_entry(&e[1], l->esp_mbr_type, !l->active_ee, l->esp_first, esp_count);
        break;
    case MK_MBR_PROTECTIVE:
        mk_mbr_entry(&e[0], MBR_TYPE_GPT_PROTECT, l->active_ee, 1, l->total_sectors - 1);
        break;
    case MK_MBR_ONLY:
        mk_mbr_entry(&e[0], l->esp_mbr_type, 1, l->esp_first, esp_count);
        break;
    }
    memcpy(s + MBR_TABLE_OFFSET, e, sizeof e);
    s[MBR_SIG_OFFSET] = 0x55;
    s[MBR_SIG_OFFSET + 1] = 0xaa;
}

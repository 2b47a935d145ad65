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

const char *mk_stage1_check(const uint8_t *code, uint64_t size)
{
    static char why[128];
    if (size > MBR_CODE_SIZE) {
        snprintf(why, sizeof why, "%llu bytes, more than the %u bytes of MBR code space",
                 (unsigned long long)size, MBR_CODE_SIZE);
        return why;
    }
    if (size < STAGE1_PATCH_OFFSET + sizeof(struct stage1_patch)) {
        snprintf(why, sizeof why, "%llu bytes, too short to hold the stage2 location record at offset %u",
                 (unsigned long long)size, STAGE1_PATCH_OFFSET);
        return why;
    }
    struct stage1_patch p;
    memcpy(&p, code + STAGE1_PATCH_OFFSET, sizeof p);
    if (p.magic != STAGE1_PATCH_MAGIC) {
        snprintf(why, sizeof why, "no \"HYS1\" record at offset %u: not a hyboot stage1", STAGE1_PATCH_OFFSET);
        return why;
    }
    return NULL;
}

/* Boot code for an image without stage1: jmp short + nop over the BPB gap,
 * then print a message with INT 10h and halt (assembled from:
 * xor ax,ax / mov ds,ax / mov si,msg / cld / lodsb loop with AH=0Eh,
 * BX=7, INT 10h / hlt loop), the message at 0x7C73. */
static const uint8_t no_bios_code[] = {
    0x31, 0xc0, 0x8e, 0xd8, 0xbe, 0x73, 0x7c, 0xfc, 0xac, 0x84, 0xc0, 0x74,
    0x09, 0xb4, 0x0e, 0xbb, 0x07, 0x00, 0xcd, 0x10, 0xeb, 0xf2, 0xf4, 0xeb, 0xfd,
};
static const char no_bios_msg[] = "hyboot: no BIOS boot code on this disk (UEFI only)\r\n";

static void put_stub(uint8_t *s)
{
    s[0] = 0xeb;
    s[1] = 0x58;   /* to 0x5a, past the BPB-sized gap */
    s[2] = 0x90;
    memcpy(s + 0x5a, no_bios_code, sizeof no_bios_code);
    memcpy(s + 0x73, no_bios_msg, sizeof no_bios_msg);
}

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
        put_stub(s);
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

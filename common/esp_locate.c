/* The ESP search (rules in esp_locate.h). Freestanding: stage2 runs it. */
#include "esp_locate.h"

#include "mbr.h"
#include "mem.h"

struct scan {
    const struct gpt_disk *d;
    const struct gpt_header *h;
    int found;
    struct gpt_entry esp;
};

/* The first ESP entry that could be a partition of this disk. */
static void want_esp(void *ctx, uint32_t index, const struct gpt_entry *e)
{
    static const uint8_t esp_type[16] = GPT_GUID_ESP;
    struct scan *s = ctx;
    (void)index;
    if (s->found || !guid_equal(e->type_guid, esp_type))
        return;
    if (e->first_lba == 0 || e->last_lba < e->first_lba)
        return;
    if (e->first_lba < s->h->first_usable_lba || e->last_lba > s->h->last_usable_lba)
        return;
    if (s->d->sectors && e->last_lba >= s->d->sectors)
        return;
    s->found = 1;
    s->esp = *e;
}

/* Reads the GPT at lba into h and s: NULL when usable (s->found says
 * whether it lists an ESP), else why not. */
static const char *try_gpt(const struct gpt_disk *d, uint64_t lba, struct gpt_header *h, struct scan *s,
                           struct esp_info *out)
{
    s->d = d;
    s->h = h;
    s->found = 0;
    uint64_t bad = 0;
    const char *why = gpt_read(d, lba, h, want_esp, s, &bad);
    if (bad && !out->bad_lba)
        out->bad_lba = bad;
    return why;
}

/* The hybrid (or MBR-only) table's 0xEF entry, else a 0x0C one. */
static int mbr_scan(const struct gpt_disk *d, const uint8_t *mbr, struct esp_info *out)
{
    static const struct { uint8_t type; const char *how; } wanted[] = {
        { MBR_TYPE_EFI_SYSTEM, "MBR entry type 0xEF" },
        { MBR_TYPE_FAT32_LBA, "MBR entry type 0x0C" },
    };
    if (!out->mbr_valid)
        return -1;
    for (unsigned w = 0; w < sizeof wanted / sizeof wanted[0]; w++) {
        for (int i = 0; i < 4; i++) {
            struct mbr_part p;
            memcpy(&p, mbr + MBR_TABLE_OFFSET + 16 * i, sizeof p);
            if (p.type != wanted[w].type || !p.lba_first || !p.lba_count)
                continue;
            if (d->sectors && (uint64_t)p.lba_first + p.lba_count > d->sectors)
                continue;
            out->lba = p.lba_first;
            out->sectors = p.lba_count;
            out->how = wanted[w].how;
            return 0;
        }
    }
    return -1;
}

int esp_locate(const struct gpt_disk *d, struct esp_info *out)
{
    uint8_t mbr[512];
    memset(out, 0, sizeof *out);
    memset(mbr, 0, sizeof mbr);
    if (d->read(d->ctx, 0, 1, d->buf) == 0) {
        memcpy(mbr, d->buf, sizeof mbr);
        out->mbr_valid = mbr[MBR_SIG_OFFSET] == 0x55 && mbr[MBR_SIG_OFFSET + 1] == 0xaa;
        memcpy(&out->mbr_signature, mbr + MBR_DISK_SIG_OFFSET, 4);
    }
    for (int i = 0; i < 4 && out->mbr_valid; i++)
        out->protective |= mbr[MBR_TABLE_OFFSET + 16 * i + 4] == MBR_TYPE_GPT_PROTECT;
    if (out->mbr_valid && !out->protective) {
        out->gpt_problem = "an MBR disk (no 0xEE entry): the GPT is not used";
        return mbr_scan(d, mbr, out);
    }

    struct gpt_header h;
    struct scan s;
    memset(&h, 0, sizeof h);
    const char *why = try_gpt(d, 1, &h, &s, out);
    int header_ok = why && gpt_header_check(&h, 1) == 0;
    uint64_t alternate = header_ok ? h.alternate_lba : 0;
    if (why) {
        out->gpt_problem = why;
        /* The backup: at the last LBA, else where the primary's own
         * (sound) header says. */
        uint64_t last = d->sectors ? d->sectors - 1 : 0;
        const char *bwhy = "disk size unknown and no sound primary header to point at the backup";
        if (last > 1)
            bwhy = try_gpt(d, last, &h, &s, out);
        if (bwhy && alternate > 1 && alternate != last)
            bwhy = try_gpt(d, alternate, &h, &s, out);
        out->backup_problem = bwhy;
        if (bwhy)
            return mbr_scan(d, mbr, out);
    }
    if (!s.found) {
        if (!why)
            out->gpt_problem = "no ESP entry in the GPT";
        return mbr_scan(d, mbr, out);
    }
    out->lba = s.esp.first_lba;
    out->sectors = s.esp.last_lba - s.esp.first_lba + 1;
    memcpy(out->esp_guid, s.esp.unique_guid, 16);
    memcpy(out->disk_guid, h.disk_guid, 16);
    out->gpt_lba = h.my_lba;
    out->how = why ? "backup GPT" : "GPT";
    return 0;
}

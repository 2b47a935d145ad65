#include "esp.h"

#include "crc32.h"
#include "gpt.h"
#include "mbr.h"
#include "mem.h"

#define ENTRY_CHUNK_SECTORS 32        /* 16 KiB of entries per read */

static uint8_t sector[512];
static uint8_t entries[ENTRY_CHUNK_SECTORS * 512];

/* Walks the whole entry array (its CRC covers all of it) and remembers
 * the first ESP. Returns NULL or a reason. */
static const char *gpt_scan(struct disk *d, struct esp_info *out)
{
    disk_read(d, 1, 1, sector);
    struct gpt_header h;
    memcpy(&h, sector, sizeof h);
    const char *why = gpt_header_check(&h, 1);
    if (why)
        return why;

    static const uint8_t esp_type[16] = GPT_GUID_ESP;
    uint32_t bytes = h.entry_count * h.entry_size;
    uint32_t crc = 0, index = 0;
    int found = 0;
    for (uint32_t done = 0; done < bytes;) {
        uint32_t n = bytes - done < sizeof entries ? bytes - done : sizeof entries;
        disk_read(d, h.entries_lba + done / 512, (n + 511) / 512, entries);
        crc = crc32_update(crc, entries, n);
        for (uint32_t off = 0; off + GPT_ENTRY_SIZE <= n; off += h.entry_size, index++) {
            struct gpt_entry e;
            memcpy(&e, entries + off, sizeof e);
            if (found || !guid_equal(e.type_guid, esp_type))
                continue;
            if (e.first_lba == 0 || e.last_lba < e.first_lba)
                continue;
            found = 1;
            out->lba = e.first_lba;
            out->sectors = e.last_lba - e.first_lba + 1;
            memcpy(out->esp_guid, e.unique_guid, 16);
        }
        done += n;
    }
    if (crc != h.entries_crc32)
        return "GPT entries CRC mismatch";
    if (!found)
        return "no ESP entry in the GPT";
    memcpy(out->disk_guid, h.disk_guid, 16);
    out->how = "GPT";
    return 0;
}

/* The hybrid MBR's 0xEF entry, or a FAT32 (LBA) one. */
static int mbr_scan(struct esp_info *out, const uint8_t *mbr)
{
    static const struct { uint8_t type; const char *how; } wanted[] = {
        { MBR_TYPE_EFI_SYSTEM, "MBR entry type 0xEF" },
        { MBR_TYPE_FAT32_LBA, "MBR entry type 0x0C" },
    };
    if (mbr[MBR_SIG_OFFSET] != 0x55 || mbr[MBR_SIG_OFFSET + 1] != 0xaa)
        return -1;
    for (unsigned w = 0; w < sizeof wanted / sizeof wanted[0]; w++) {
        for (int i = 0; i < 4; i++) {
            struct mbr_part p;
            memcpy(&p, mbr + MBR_TABLE_OFFSET + 16 * i, sizeof p);
            if (p.type != wanted[w].type || !p.lba_first || !p.lba_count)
                continue;
            out->lba = p.lba_first;
            out->sectors = p.lba_count;
            out->how = wanted[w].how;
            return 0;
        }
    }
    return -1;
}

int esp_find(struct disk *d, struct esp_info *out)
{
    static uint8_t mbr[512];
    memset(out, 0, sizeof *out);
    disk_read(d, 0, 1, mbr);
    memcpy(&out->mbr_signature, mbr + MBR_DISK_SIG_OFFSET, 4);

    out->gpt_problem = gpt_scan(d, out);
    if (!out->gpt_problem)
        return 0;
    memset(out->disk_guid, 0, 16);
    memset(out->esp_guid, 0, 16);
    return mbr_scan(out, mbr);
}

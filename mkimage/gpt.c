/* Primary and backup GPT: two partitions ("BIOS boot" when the image has
 * BIOS parts, "EFI system"), CRCs over entries and headers. */
#include "mk_disk.h"

#include <string.h>

static const uint8_t type_esp[16] = GPT_GUID_ESP;
static const uint8_t type_bios[16] = GPT_GUID_BIOS_BOOT;

static void put_name(struct gpt_entry *e, const char *ascii)
{
    for (size_t i = 0; ascii[i] && i < 36; i++)
        e->name[i] = (uint16_t)(uint8_t)ascii[i];
}

static void put_entry(struct gpt_entry *e, const uint8_t type[16], const uint8_t guid[16], uint64_t first,
                      uint64_t last, const char *name)
{
    memcpy(e->type_guid, type, 16);
    memcpy(e->unique_guid, guid, 16);
    e->first_lba = first;
    e->last_lba = last;
    put_name(e, name);
}

void mk_gpt_entries(const struct mk_layout *l, uint8_t entries[GPT_ENTRIES_BYTES])
{
    memset(entries, 0, GPT_ENTRIES_BYTES);
    struct gpt_entry e[2];
    memset(e, 0, sizeof e);
    int n = 0;
    if (l->has_bios_part)
        put_entry(&e[n++], type_bios, l->bios_guid, l->bios_first, l->bios_last, "BIOS boot");
    put_entry(&e[n++], type_esp, l->esp_guid, l->esp_first, l->esp_last, "EFI system");
    memcpy(entries, e, (size_t)n * sizeof e[0]);
}

void mk_gpt_header(const struct mk_layout *l, uint32_t entries_crc32, int backup, struct gpt_header *h)
{
    uint64_t last = l->total_sectors - 1, nent = mk_gpt_entry_sectors(l->sector_size);
    memset(h, 0, sizeof *h);
    h->signature = GPT_SIGNATURE;
    h->revision = GPT_REVISION;
    h->header_size = GPT_HEADER_SIZE;
    h->my_lba = backup ? last : 1;
    h->alternate_lba = backup ? 1 : last;
    h->first_usable_lba = 2 + nent;
    h->last_usable_lba = l->last_usable;
    memcpy(h->disk_guid, l->disk_guid, 16);
    h->entries_lba = backup ? last - nent : 2;
    h->entry_count = GPT_ENTRY_COUNT;
    h->entry_size = GPT_ENTRY_SIZE;
    h->entries_crc32 = entries_crc32;
    h->header_crc32 = gpt_header_crc(h);
}

/* GPT header checks and GUID helpers (UEFI spec, chapter 5).
 * Freestanding-clean: used by mkimage on the host and by the 32-bit
 * BIOS stage2, so only mem.h and crc32.h, no libc. */
#include "gpt.h"
#include "crc32.h"
#include "mem.h"

uint32_t gpt_header_crc(const struct gpt_header *h)
{
    /* The CRC covers header_size bytes with the CRC field zeroed. Our struct
     * is exactly the 92-byte header every writer uses; a larger header_size
     * is rejected by gpt_header_check, so hashing the struct is enough. */
    struct gpt_header copy;
    memcpy(&copy, h, sizeof copy);
    copy.header_crc32 = 0;
    return crc32_update(0, &copy, sizeof copy);
}

const char *gpt_header_check(const struct gpt_header *h, uint64_t lba)
{
    if (h->signature != GPT_SIGNATURE)
        return "bad GPT signature";
    if (h->revision != GPT_REVISION)
        return "unsupported GPT revision";
    if (h->header_size != GPT_HEADER_SIZE)
        return "bad GPT header size";
    if (gpt_header_crc(h) != h->header_crc32)
        return "GPT header CRC mismatch";
    if (h->my_lba != lba)
        return "GPT header at the wrong LBA";
    /* Entry sizes are 128 * 2^n per the spec; we only read 128-byte ones.
     * The count bound keeps the entry array a sane, readable size. */
    if (h->entry_size != GPT_ENTRY_SIZE)
        return "unsupported GPT entry size";
    if (h->entry_count == 0 || h->entry_count > 1024)
        return "bad GPT entry count";
    if (h->first_usable_lba > h->last_usable_lba)
        return "GPT usable range is empty";
    if (h->entries_lba == lba)
        return "GPT entries overlap the header";
    return 0;
}

uint64_t gpt_entry_sectors(const struct gpt_header *h, uint32_t sector_size)
{
    return ((uint64_t)h->entry_count * h->entry_size + sector_size - 1) / sector_size;
}

const char *gpt_read(const struct gpt_disk *d, uint64_t lba, struct gpt_header *h, gpt_entry_fn fn, void *ctx,
                     uint64_t *bad_lba)
{
    if (d->sectors && lba >= d->sectors)
        return "GPT header beyond the end of the disk";
    if (d->read(d->ctx, lba, 1, d->buf)) {
        if (bad_lba)
            *bad_lba = lba;
        return "cannot read the GPT header";
    }
    memcpy(h, d->buf, sizeof *h);
    const char *why = gpt_header_check(h, lba);
    if (why)
        return why;
    uint64_t nsec = gpt_entry_sectors(h, d->sector_size);
    /* Range-check before the first read: a garbage entries_lba must be an
     * error here, not a read of some far-away sector. */
    if (h->entries_lba == 0 || h->entries_lba > ~0ull - nsec)
        return "GPT entries at an impossible LBA";
    if (d->sectors && h->entries_lba + nsec > d->sectors)
        return "GPT entries beyond the end of the disk";
    if (lba >= h->entries_lba && lba < h->entries_lba + nsec)
        return "GPT entries overlap the header";

    uint32_t bytes = h->entry_count * h->entry_size, crc = 0, index = 0;
    uint32_t chunk = d->buf_len - d->buf_len % d->sector_size;
    if (chunk == 0)
        return "scratch buffer smaller than a sector";
    for (uint32_t done = 0; done < bytes;) {
        uint32_t n = bytes - done < chunk ? bytes - done : chunk;
        uint64_t at = h->entries_lba + done / d->sector_size;
        if (d->read(d->ctx, at, (n + d->sector_size - 1) / d->sector_size, d->buf)) {
            if (bad_lba)
                *bad_lba = at;
            return "cannot read the GPT entries";
        }
        crc = crc32_update(crc, d->buf, n);
        for (uint32_t off = 0; fn && off + GPT_ENTRY_SIZE <= n; off += h->entry_size, index++) {
            struct gpt_entry e;
            memcpy(&e, d->buf + off, sizeof e);
            fn(ctx, index, &e);
        }
        done += n;
    }
    if (crc != h->entries_crc32)
        return "GPT entries CRC mismatch";
    return 0;
}

int guid_is_zero(const uint8_t g[16])
{
    for (int i = 0; i < 16; i++)
        if (g[i])
            return 0;
    return 1;
}

int guid_equal(const uint8_t a[16], const uint8_t b[16])
{
    return memcmp(a, b, 16) == 0;
}

/* The first three fields are stored little-endian, the last two as bytes:
 * this is the on-disk index of each printed byte, in print order. */
static const uint8_t guid_print_order[16] = {
    3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
};

void guid_format(const uint8_t g[16], char out[37])
{
    static const char hex[] = "0123456789ABCDEF";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        uint8_t b = g[guid_print_order[i]];
        out[o++] = hex[b >> 4];
        out[o++] = hex[b & 15];
    }
    out[o] = 0;
}

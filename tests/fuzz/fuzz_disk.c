/* The sparse fuzz disk (fuzz_disk.h). */
#include "fuzz_disk.h"

#include <stdlib.h>
#include <string.h>

/* At most one record per 516 input bytes; libFuzzer's -max_len for the
 * disk targets stays below 4 MiB. */
#define MAX_RECORDS 8192
static struct fuzz_unit table[MAX_RECORDS];

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* By unit, and among equal units the later record first (it wins). */
static int by_unit(const void *a, const void *b)
{
    const struct fuzz_unit *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return x->data > y->data ? -1 : x->data < y->data;
}

int fuzz_disk_parse(struct fuzz_disk *d, const uint8_t *data, size_t size)
{
    memset(d, 0, sizeof *d);
    if (size < FUZZ_DISK_HEADER)
        return -1;
    uint32_t units = le32(data);
    d->flags = data[4];
    d->sector_size = (d->flags & 1) ? 4096 : 512;
    uint32_t n = 0, highest = 0;
    for (size_t off = FUZZ_DISK_HEADER; off + 4 < size && n < MAX_RECORDS; off += 4 + FUZZ_UNIT) {
        size_t len = size - off - 4 < FUZZ_UNIT ? size - off - 4 : FUZZ_UNIT;
        table[n] = (struct fuzz_unit){ le32(data + off), (uint32_t)len, data + off + 4 };
        if (table[n].unit >= FUZZ_DISK_MAX_UNITS)
            continue;
        if (table[n].unit >= highest)
            highest = table[n].unit + 1;
        n++;
    }
    if (units == 0 || units > FUZZ_DISK_MAX_UNITS)
        units = units ? FUZZ_DISK_MAX_UNITS : highest;
    qsort(table, n, sizeof table[0], by_unit);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < n; i++)
        if (table[i].unit < units && (kept == 0 || table[kept - 1].unit != table[i].unit))
            table[kept++] = table[i];
    d->n = kept;
    d->units = table;
    d->bytes = (uint64_t)units * FUZZ_UNIT;
    return 0;
}

void fuzz_disk_bytes(const struct fuzz_disk *d, uint64_t off, uint64_t len, uint8_t *buf)
{
    memset(buf, 0, len);
    /* Walk the listed units that overlap the range, not every unit of it:
     * a read of a large zero area costs one memset. */
    uint32_t first = (uint32_t)(off / FUZZ_UNIT);
    uint32_t lo = 0, hi = d->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->units[mid].unit < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t i = lo; i < d->n; i++) {
        uint64_t start = (uint64_t)d->units[i].unit * FUZZ_UNIT;
        if (start >= off + len)
            break;
        uint64_t a = start > off ? start : off;
        uint64_t b = start + d->units[i].len < off + len ? start + d->units[i].len : off + len;
        if (a < b)
            memcpy(buf + (a - off), d->units[i].data + (a - start), b - a);
    }
}

int fuzz_disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    struct fuzz_disk *d = ctx;
    d->reads++;
    uint64_t sectors = d->bytes / d->sector_size;
    if (lba > sectors || count > sectors - lba)
        return 1;
    fuzz_disk_bytes(d, lba * d->sector_size, (uint64_t)count * d->sector_size, buf);
    return 0;
}

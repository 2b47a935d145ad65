/* Which bytes go where on the device, and in which order.
 *
 * What is written: the image from byte 0 up to the end of its last
 * allocated range -- holes included. Only the image's allocated ranges
 * would not do: a FAT, a directory or a file holds zero blocks (a sparse
 * image stores them as holes), and on a used stick the old bytes there
 * would show through as a corrupt FAT or a damaged kernel. An image's
 * data is at its start (mkimage puts metadata first and files right
 * after), so this costs little: 2.2 MiB of the default 64 MiB image.
 * Past that end is free space (free clusters, unpartitioned space),
 * which nothing reads; it is not written.
 *
 * Zeros go where old contents would confuse someone: the first 64 KiB
 * (MBR, GPT, whole-disk file-system signatures) and the last 1 MiB (old
 * backup GPT, RAID and ZFS labels) of the device, and the first 64 KiB of
 * each old partition (its file-system signature, which would come back if
 * a partition were made there again).
 *
 * Order: pass 0 zeros the head and the tail, pass 1 writes the data,
 * pass 2 the head (MBR, primary GPT) and the backup GPT. Until pass 2 the
 * device has no partition table, so an interrupted write leaves a stick
 * that nothing mistakes for a bootable one. */
#include "mk_flash.h"
#include "mk.h"
#include "crc32.h"

#include <stdlib.h>
#include <string.h>

#define ALIGN 4096u

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

static void add(struct fl_plan *p, uint64_t off, uint64_t end, enum fl_kind kind, const uint8_t *buf,
                int phase, int check)
{
    if (end <= off)
        return;
    p->ext = mk_realloc(p->ext, (p->n + 1) * sizeof *p->ext);
    struct fl_extent *e = &p->ext[p->n++];
    memset(e, 0, sizeof *e);
    e->off = off;
    e->len = end - off;
    e->kind = kind;
    e->buf = buf;
    e->phase = phase;
    e->check = check;
    p->write_bytes += e->len;
    if (check)
        p->check_bytes += e->len;
}

/* Where the image's data ends: the last non-zero sector of its allocated
 * ranges. The allocation map alone is not enough: file systems allocate
 * whole blocks (the block holding the first sector of the backup GPT
 * reaches back into the ESP), and a non-sparse copy of an image (a
 * download, a cp without --sparse) is allocated throughout; so the ranges
 * are read backwards from the last one, skipping holes, until a non-zero
 * byte. */
static uint64_t data_end(const struct fl_src *s, uint64_t limit)
{
    const size_t step = 1u << 20;
    struct fl_range *r;
    size_t n = fl_src_ranges(s, limit, &r);
    uint8_t *buf = mk_zalloc(step);
    uint64_t end = 0;
    while (n-- > 0 && !end) {
        for (uint64_t b = r[n].end; b > r[n].start && !end;) {
            uint64_t a = b - r[n].start > step ? b - step : r[n].start;
            if (fl_src_read(s, a, buf, (size_t)(b - a)) < 0) {
                end = b;            /* reported when it is written */
                break;
            }
            size_t i = (size_t)(b - a);
            while (i && !buf[i - 1])
                i--;
            if (i)
                end = a + i;
            b = a;
        }
    }
    free(buf);
    free(r);
    return end;
}

/* Reads and checks the image's primary GPT; fills the relocated headers
 * and entries. 0 no GPT, 1 GPT, -1 damaged (printed). */
static int read_gpt(struct fl_plan *p, const struct fl_src *s, struct gpt_header *h, uint8_t **entries)
{
    const uint32_t ss = p->ss;
    uint8_t sec[512];
    if (fl_src_read(s, ss, sec, sizeof sec) < 0) {
        mk_error(s->name, "cannot read the image");
        return -1;
    }
    memcpy(h, sec, sizeof *h);
    memcpy(p->primary, sec, sizeof sec);
    if (h->signature != GPT_SIGNATURE)
        return 0;
    const char *why = gpt_header_check(h, 1);
    uint64_t sectors = s->size / ss;
    uint64_t bytes = (uint64_t)h->entry_count * h->entry_size;
    if (!why && (h->last_usable_lba >= sectors - 1 || h->entries_lba + (bytes + ss - 1) / ss > h->first_usable_lba))
        why = "its usable area or entries lie outside the image";
    if (why) {
        mk_error(s->name, "primary GPT: %s (see mkimage --inspect %s)", why, s->name);
        return -1;
    }
    *entries = mk_zalloc((size_t)bytes);
    if (fl_src_read(s, h->entries_lba * ss, *entries, (size_t)bytes) < 0) {
        mk_error(s->name, "cannot read the image");
        return -1;
    }
    if (crc32_update(0, *entries, (size_t)bytes) != h->entries_crc32) {
        mk_error(s->name, "primary GPT: entries CRC mismatch (see mkimage --inspect %s)", s->name);
        return -1;
    }
    return 1;
}

int fl_plan_make(struct fl_plan *p, const struct fl_src *s, uint64_t dev_size, uint32_t ss,
                 const struct fl_old_part *old, size_t nold)
{
    memset(p, 0, sizeof *p);
    p->dev_size = dev_size;
    p->img_size = s->size;
    p->ss = ss;
    if (s->size > dev_size) {
        mk_error(s->name, "the image does not fit on the device");
        return -1;
    }
    uint64_t dev_sectors = dev_size / ss;
    if (fl_src_read(s, 0, p->mbr, sizeof p->mbr) < 0) {
        mk_error(s->name, "cannot read the image");
        return -1;
    }

    struct gpt_header h, prim, back;
    uint8_t *entries = NULL;
    int g = read_gpt(p, s, &h, &entries);
    if (g < 0) {
        free(entries);
        return -1;
    }
    uint64_t limit = s->size, min_end = ss, backup_off = dev_size;
    uint64_t entry_bytes = 0;
    if (g) {
        if (mk_gpt_relocate(&h, dev_sectors, ss, &prim, &back) < 0) {
            free(entries);
            mk_error(s->name, "the image's partitions do not fit on the device");
            return -1;
        }
        p->gpt = 1;
        memcpy(p->primary, &prim, sizeof prim);
        p->backup_lba = back.my_lba;
        entry_bytes = (uint64_t)h.entry_count * h.entry_size;
        backup_off = back.entries_lba * ss;
        /* Everything after the last usable LBA is the image's own backup
         * GPT, which the relocated one replaces. */
        limit = (h.last_usable_lba + 1) * ss;
        min_end = h.first_usable_lba * ss;
        p->mbr_grown = mk_mbr_grow_protective(p->mbr, s->size / ss, dev_sectors);
    }

    uint64_t end = max64(data_end(s, limit), min_end);
    end = min64(mk_align_up(end, ALIGN), limit);
    p->data_end = end;
    uint64_t head = min64(FL_HEAD, end);
    uint64_t tail = max64(end, dev_size > FL_TAIL ? (dev_size - FL_TAIL) / ALIGN * ALIGN : 0);
    uint64_t backup_start = dev_size;
    if (g) {
        backup_start = max64(max64(backup_off / ALIGN * ALIGN, end), tail);
        p->tail = mk_zalloc((size_t)(dev_size - backup_start));
        memcpy(p->tail + (backup_off - backup_start), entries, (size_t)entry_bytes);
        memcpy(p->tail + (dev_size - ss - backup_start), &back, sizeof back);
    }
    free(entries);

    /* pass 0: no partition table, no old signatures at either end */
    add(p, 0, head, FL_ZERO, NULL, 0, 0);
    add(p, tail, backup_start, FL_ZERO, NULL, 0, 1);
    add(p, backup_start, dev_size, FL_ZERO, NULL, 0, 0);
    /* pass 1: the data, the old partitions' signatures */
    add(p, head, end, FL_IMAGE, NULL, 1, 1);
    uint64_t prev = end;
    for (size_t i = 0; i < nold; i++) {
        uint64_t a = old[i].start * 512;
        uint64_t b = min64(min64(a + FL_PART_HEAD, (old[i].start + old[i].sectors) * 512), tail);
        if (a < prev)
            continue;    /* its start is overwritten by the image anyway */
        if (a < b) {
            add(p, a, b, FL_ZERO, NULL, 1, 1);
            prev = b;
        }
    }
    /* pass 2: the partition table, last */
    add(p, 0, head, FL_IMAGE, NULL, 2, 1);
    add(p, backup_start, g ? dev_size : backup_start, FL_BUF, p->tail, 2, 1);
    return 0;
}

void fl_plan_free(struct fl_plan *p)
{
    free(p->ext);
    free(p->tail);
    p->ext = NULL;
    p->tail = NULL;
    p->n = 0;
}

/* Copies the part of `data` (512 bytes at byte sec_off of the device: the
 * start of a sector) that falls in [off, off+len) over buf. */
static void overlay(uint8_t *buf, uint64_t off, size_t len, uint64_t sec_off, const uint8_t *data)
{
    uint64_t a = max64(off, sec_off), b = min64(off + len, sec_off + 512);
    if (a < b)
        memcpy(buf + (a - off), data + (a - sec_off), (size_t)(b - a));
}

int fl_plan_fill(const struct fl_plan *p, const struct fl_src *s, const struct fl_extent *e,
                 uint64_t off, uint8_t *buf, size_t len)
{
    switch (e->kind) {
    case FL_ZERO:
        memset(buf, 0, len);
        return 0;
    case FL_BUF:
        memcpy(buf, e->buf + (off - e->off), len);
        return 0;
    case FL_IMAGE:
        if (fl_src_read(s, off, buf, len) < 0)
            return -1;
        overlay(buf, off, len, 0, p->mbr);
        if (p->gpt)
            overlay(buf, off, len, p->ss, p->primary);
        return 0;
    }
    return -1;
}

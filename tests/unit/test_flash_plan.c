/* --write-device's plan, without a device: a small GPT image built with
 * mkimage's own table writers is "written" by replaying the plan's passes
 * into a buffer that stands for a used stick (every byte 0xFF), and the
 * result is checked: both GPTs valid with common/gpt.c and the backup at
 * the last LBA, the image's bytes where they belong, zeros over the old
 * signatures, the partition table written last, the protective MBR grown,
 * a damaged GPT refused, trailing zeros in allocated data not written. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crc32.h"
#include "gpt.h"
#include "mbr.h"
#include "mk_disk.h"
#include "mk_flash.h"

#define MiB (1024u * 1024u)
#define IMG_SECTORS (4 * 2048u)          /* a 4 MiB image */

/* A GPT image: MBR, both GPTs, and "data" at 1 MiB: 40 KiB with a zero
 * 4 KiB block in the middle and 24 KiB of trailing zeros inside its chunk
 * (like a FAT whose tail is unused). */
static void make_image(struct mk_image *img, enum mk_mbr_mode mode, int break_crc)
{
    memset(img, 0, sizeof *img);
    img->size = (uint64_t)IMG_SECTORS * 512;
    struct mk_layout l;
    memset(&l, 0, sizeof l);
    mk_layout_compute(&l, IMG_SECTORS, 512);
    l.mbr = mode;
    l.esp_mbr_type = 0xef;
    l.has_bios_part = 1;
    l.disk_guid[0] = 1;
    l.esp_guid[0] = 2;
    l.bios_guid[0] = 3;
    mk_mbr_build(mk_image_chunk(img, 0, 512), &l, NULL, 0, 0);
    uint8_t *ents = mk_image_chunk(img, 1024, GPT_ENTRIES_BYTES);
    mk_gpt_entries(&l, ents);
    uint32_t crc = crc32_update(0, ents, GPT_ENTRIES_BYTES);
    struct gpt_header h;
    mk_gpt_header(&l, break_crc ? crc ^ 1 : crc, 0, &h);
    memcpy(mk_image_chunk(img, 512, 512), &h, sizeof h);
    uint64_t last = IMG_SECTORS - 1;
    memcpy(mk_image_chunk(img, (last - 32) * 512, GPT_ENTRIES_BYTES), ents, GPT_ENTRIES_BYTES);
    mk_gpt_header(&l, crc, 1, &h);
    memcpy(mk_image_chunk(img, last * 512, 512), &h, sizeof h);
    uint8_t *data = mk_image_chunk(img, MiB, 64 * 1024);
    memset(data, 0xa5, 16 * 1024);
    memset(data + 20 * 1024, 0x5a, 20 * 1024);      /* ends at 1 MiB + 40 KiB */
}

/* Replays the plan into dev (the passes in order), as fl_write does. */
static int replay(const struct fl_plan *p, const struct fl_src *s, uint8_t *dev, int upto_phase)
{
    for (int ph = 0; ph <= upto_phase; ph++)
        for (size_t i = 0; i < p->n; i++)
            if (p->ext[i].phase == ph &&
                fl_plan_fill(p, s, &p->ext[i], p->ext[i].off, dev + p->ext[i].off, (size_t)p->ext[i].len) < 0)
                return -1;
    return 0;
}

static int all(const uint8_t *p, uint64_t n, uint8_t v)
{
    for (uint64_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

static int gpt_ok(const uint8_t *dev, uint64_t lba, struct gpt_header *h)
{
    memcpy(h, dev + lba * 512, sizeof *h);
    return !gpt_header_check(h, lba) &&
           crc32_update(0, dev + h->entries_lba * 512, h->entry_count * h->entry_size) == h->entries_crc32;
}

static void test_bigger_device(void)
{
    struct mk_image img;
    make_image(&img, MK_MBR_HYBRID, 0);
    struct fl_src s;
    fl_src_from_image(&s, &img, "test image");
    uint64_t dev_size = 16 * MiB, dev_last = dev_size / 512 - 1;
    /* old partitions: one inside the written prefix, one in the free
     * space, one at the very end */
    struct fl_old_part old[] = { { 2048, 100 }, { 10000, 5000 }, { 32700, 68 } };
    struct fl_plan p;
    CHECK(fl_plan_make(&p, &s, dev_size, 512, old, 3) == 0, "flash plan: GPT image onto a 4x bigger device");
    CHECK(p.gpt && p.backup_lba == dev_last, "flash plan: backup GPT goes to the device's last LBA");
    CHECK(p.data_end == MiB + 40 * 1024, "flash plan: data ends at the last non-zero 4 KiB, not at the chunk's end");

    int order_ok = 1, aligned = 1, overlap = 0;
    for (size_t i = 0; i < p.n; i++) {
        const struct fl_extent *e = &p.ext[i];
        aligned &= e->off % 512 == 0 && e->len % 512 == 0 && e->off + e->len <= dev_size;
        if (e->off < 34 * 512 && e->kind == FL_IMAGE && e->phase != 2)
            order_ok = 0;
        for (size_t j = 0; j < i; j++)
            if (e->check && p.ext[j].check && e->off < p.ext[j].off + p.ext[j].len && p.ext[j].off < e->off + e->len)
                overlap = 1;
    }
    CHECK(aligned, "flash plan: every range is whole sectors, inside the device");
    CHECK(order_ok, "flash plan: the MBR and primary GPT are written only in the last pass");
    CHECK(!overlap, "flash plan: the ranges that are read back do not overlap");

    uint8_t *dev = malloc(dev_size);
    memset(dev, 0xff, dev_size);
    replay(&p, &s, dev, 1);
    CHECK(all(dev, 34 * 512, 0) && all(dev + dev_size - MiB, MiB, 0),
          "flash plan: until the last pass the device has no partition table at either end");
    replay(&p, &s, dev, 2);

    struct gpt_header prim, back;
    CHECK(gpt_ok(dev, 1, &prim), "flash plan: primary GPT valid (header CRC, entries CRC)");
    CHECK(gpt_ok(dev, dev_last, &back), "flash plan: backup GPT valid at the last LBA");
    CHECK(prim.alternate_lba == dev_last && back.alternate_lba == 1 && back.entries_lba == dev_last - 32,
          "flash plan: headers point at each other; backup entries just before the backup header");
    CHECK(prim.last_usable_lba == dev_last - 33 && back.last_usable_lba == prim.last_usable_lba,
          "flash plan: usable area grows to the device's end");
    CHECK(!memcmp(dev + 1024, dev + (dev_last - 32) * 512, GPT_ENTRIES_BYTES),
          "flash plan: backup entries equal the primary ones");

    uint8_t *want = malloc(img.size);
    fl_src_read(&s, 0, want, (size_t)img.size);
    CHECK(!memcmp(dev, want, 512) && !memcmp(dev + 1024, want + 1024, (size_t)(p.data_end - 1024)),
          "flash plan: the image's bytes up to its data end, holes included (zeros over the old 0xFF)");
    CHECK(all(dev + MiB + 16 * 1024, 4096, 0), "flash plan: a zero block inside the data is written as zeros");
    CHECK(all(dev + p.data_end, 4096, 0xff), "flash plan: free space after the data is not written");
    CHECK(all(dev + 10000 * 512, FL_PART_HEAD, 0) && dev[10000 * 512 + FL_PART_HEAD] == 0xff,
          "flash plan: an old partition's first 64 KiB zeroed, nothing after");
    CHECK(all(dev + dev_size - MiB, MiB - 33 * 512, 0), "flash plan: the device's last MiB zeroed around the backup GPT");
    CHECK(!memcmp(dev + 446, want + 446, 64), "flash plan: a hybrid MBR is left as it is");
    free(want);
    free(dev);
    fl_plan_free(&p);
    fl_src_close(&s);
    mk_image_free(&img);
}

static void test_same_size_and_protective(void)
{
    struct mk_image img;
    make_image(&img, MK_MBR_PROTECTIVE, 0);
    struct fl_src s;
    fl_src_from_image(&s, &img, "test image");
    struct fl_plan p;
    uint8_t *want = malloc(img.size), *dev = malloc(img.size);
    fl_src_read(&s, 0, want, (size_t)img.size);

    CHECK(fl_plan_make(&p, &s, img.size, 512, NULL, 0) == 0, "flash plan: device exactly the image's size");
    memset(dev, 0xff, img.size);
    replay(&p, &s, dev, 2);
    CHECK(!memcmp(dev, want, (size_t)p.data_end), "flash plan: same size: the head is the image's, headers unchanged");
    CHECK(!memcmp(dev + img.size - 33 * 512, want + img.size - 33 * 512, 33 * 512),
          "flash plan: same size: the backup GPT is the image's own");
    fl_plan_free(&p);

    uint64_t dev_size = 8 * MiB;
    CHECK(fl_plan_make(&p, &s, dev_size, 512, NULL, 0) == 0 && p.mbr_grown, "flash plan: protective MBR grown");
    struct mbr_part e;
    memcpy(&e, p.mbr + MBR_TABLE_OFFSET, sizeof e);
    CHECK(e.type == 0xee && e.lba_first == 1 && e.lba_count == dev_size / 512 - 1,
          "flash plan: protective entry spans the device (size minus one)");
    fl_plan_free(&p);
    free(want);
    free(dev);
    fl_src_close(&s);
    mk_image_free(&img);
}

static void test_refusals_and_plain(void)
{
    struct mk_image img;
    make_image(&img, MK_MBR_HYBRID, 1);
    struct fl_src s;
    fl_src_from_image(&s, &img, "test image");
    struct fl_plan p;
    CHECK(fl_plan_make(&p, &s, 16 * MiB, 512, NULL, 0) < 0, "flash plan: an image with a bad entries CRC is refused");
    fl_plan_free(&p);
    CHECK(fl_plan_make(&p, &s, 2 * MiB, 512, NULL, 0) < 0, "flash plan: a device smaller than the image is refused");
    fl_plan_free(&p);
    fl_src_close(&s);
    mk_image_free(&img);

    /* no partition table at all: written as it is, zeros at the end */
    struct mk_image raw = { .size = 3 * MiB };
    memset(mk_image_chunk(&raw, 0, 8192), 0x11, 5000);
    fl_src_from_image(&s, &raw, "raw image");
    CHECK(fl_plan_make(&p, &s, 8 * MiB, 512, NULL, 0) == 0 && !p.gpt && p.data_end == 8192,
          "flash plan: an image without GPT is written up to its data end");
    uint8_t *dev = malloc(8 * MiB);
    memset(dev, 0xff, 8 * MiB);
    replay(&p, &s, dev, 2);
    CHECK(all(dev, 5000, 0x11) && all(dev + 5000, 8192 - 5000, 0) && all(dev + 7 * MiB, MiB, 0),
          "flash plan: without GPT: data, then zeros over the device's last MiB");
    free(dev);
    fl_plan_free(&p);
    fl_src_close(&s);
    mk_image_free(&raw);
}

/* A 4Kn image (4 MiB, 4096-byte LBAs) onto a 16 MiB 4Kn device: the
 * backup GPT goes to the device's last 4 KiB LBA, the primary header
 * (at byte 4096) points there, the protective MBR grows in 4K units. */
static void test_4kn_device(void)
{
    const uint32_t ss = 4096;
    const uint64_t sectors = 4 * MiB / ss, dev_size = 16 * MiB, dev_last = dev_size / ss - 1;
    struct mk_image img;
    memset(&img, 0, sizeof img);
    img.size = 4 * MiB;
    struct mk_layout l;
    memset(&l, 0, sizeof l);
    mk_layout_compute(&l, sectors, ss);
    l.mbr = MK_MBR_PROTECTIVE;
    l.disk_guid[0] = 1;
    l.esp_guid[0] = 2;
    mk_mbr_build(mk_image_chunk(&img, 0, 512), &l, NULL, 0, 0);
    uint8_t *ents = mk_image_chunk(&img, 2 * ss, GPT_ENTRIES_BYTES);
    mk_gpt_entries(&l, ents);
    uint32_t crc = crc32_update(0, ents, GPT_ENTRIES_BYTES);
    struct gpt_header h;
    mk_gpt_header(&l, crc, 0, &h);
    memcpy(mk_image_chunk(&img, ss, 512), &h, sizeof h);
    memcpy(mk_image_chunk(&img, (sectors - 5) * ss, GPT_ENTRIES_BYTES), ents, GPT_ENTRIES_BYTES);
    mk_gpt_header(&l, crc, 1, &h);
    memcpy(mk_image_chunk(&img, (sectors - 1) * ss, 512), &h, sizeof h);
    memset(mk_image_chunk(&img, MiB, 8192), 0xa5, 8192);
    struct fl_src s;
    fl_src_from_image(&s, &img, "test image");
    struct fl_plan p;
    CHECK(fl_plan_make(&p, &s, dev_size, ss, NULL, 0) == 0 && p.gpt && p.backup_lba == dev_last && p.mbr_grown,
          "flash plan 4K: backup GPT to the device's last 4 KiB LBA, protective MBR grown");
    uint8_t *dev = malloc(dev_size);
    memset(dev, 0xff, dev_size);
    int aligned = 1;
    for (size_t i = 0; i < p.n; i++)
        aligned &= p.ext[i].off % ss == 0 && p.ext[i].len % ss == 0;
    CHECK(aligned, "flash plan 4K: every extent in whole 4096-byte sectors (O_DIRECT on a 4Kn device)");
    CHECK(replay(&p, &s, dev, 2) == 0, "flash plan 4K: replayed");
    struct gpt_header ph, bh;
    memcpy(&ph, dev + ss, sizeof ph);
    memcpy(&bh, dev + dev_last * ss, sizeof bh);
    CHECK(!gpt_header_check(&ph, 1) && ph.alternate_lba == dev_last && ph.last_usable_lba == dev_last - 5 &&
              !gpt_header_check(&bh, dev_last) && bh.entries_lba == dev_last - 4 &&
              crc32_update(0, dev + bh.entries_lba * ss, GPT_ENTRIES_BYTES) == bh.entries_crc32,
          "flash plan 4K: primary at byte 4096 points at the backup; backup entries in the 4 sectors before it");
    struct mbr_part e;
    memcpy(&e, dev + MBR_TABLE_OFFSET, sizeof e);
    CHECK(e.type == 0xee && e.lba_count == dev_last, "flash plan 4K: 0xEE entry over the device, in 4 KiB LBAs");
    CHECK(all(dev + MiB, 8192, 0xa5), "flash plan 4K: the data is on the device");
    free(dev);
    fl_plan_free(&p);
    fl_src_close(&s);
    mk_image_free(&img);
}

int main(void)
{
    test_bigger_device();
    test_4kn_device();
    test_same_size_and_protective();
    test_refusals_and_plain();
    return check_exit();
}

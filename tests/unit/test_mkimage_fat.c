/* mkimage's FAT writer: LFN checksums (against values mtools wrote),
 * 8.3 name generation and collisions, FAT type selection at the
 * cluster-count boundaries and --fat refusals, and whole volumes of each
 * type read back through the loaders' own FAT driver (common/fat.c). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fat.h"
#include "mk_fat.h"
#include "mk_image.h"
#include "utf8.h"

/* ---- names ----------------------------------------------------------- */

/* A folder's names, and the aliases handed out in order. */
struct taken { struct mk_fat_names names; char list[64][11]; int n; };

/* Generates the short name and records it, as mk_fat_add does. */
static int gen(struct taken *t, const char *name, char out[11])
{
    char text[13];
    void *self = t->list[t->n];
    mk_fat_names_add(&t->names, name, self);
    int r = mk_fat_alias(&t->names, name, self, out);
    fat_short_to_text(out, 0, text);
    mk_fat_names_add(&t->names, text, self);
    memcpy(t->list[t->n++], out, 11);
    return r;
}

static int valid_short(const char s[11])
{
    if (s[0] == ' ')
        return 0;
    for (int i = 0; i < 11; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || strchr("$%'-_@~`!(){}^#&", c)))
            return 0;
    }
    /* Spaces only as padding: none before a non-space within each part. */
    for (int i = 1; i < 8; i++)
        if (s[i - 1] == ' ' && s[i] != ' ')
            return 0;
    for (int i = 9; i < 11; i++)
        if (s[i - 1] == ' ' && s[i] != ' ')
            return 0;
    return 1;
}

static void test_names(void)
{
    /* Checksums of the short names mtools 4.0 wrote with its LFN entries. */
    CHECK(fat_lfn_checksum("LONGNA~1TXT") == 0xf4, "fat: LFN checksum of LONGNA~1.TXT matches mtools");
    CHECK(fat_lfn_checksum("ALONGF~1TXT") == 0x02, "fat: LFN checksum of ALONGF~1.TXT matches mtools");

    struct taken t = { .n = 0 };
    memset(&t, 0, sizeof t);
    char a[11], b[11], c[11];
    int ra = gen(&t, "longname1.txt", a);
    int rb = gen(&t, "longname2.txt", b);
    CHECK(memcmp(a, "LONGNA~1TXT", 11) == 0, "fat: longname1.txt -> LONGNA~1.TXT");
    CHECK(memcmp(b, "LONGNA~2TXT", 11) == 0, "fat: longname2.txt -> LONGNA~2.TXT");
    CHECK(memcmp(a, b, 11) != 0 && valid_short(a) && valid_short(b), "fat: colliding long names get distinct valid 8.3 names");
    CHECK(ra == 1 && rb == 1, "fat: truncated names need LFN entries");

    struct taken u = { .n = 0 };
    memset(&u, 0, sizeof u);
    CHECK(gen(&u, "BOOTX64.EFI", c) == 0 && memcmp(c, "BOOTX64 EFI", 11) == 0, "fat: exact 8.3 name, no LFN");
    CHECK(gen(&u, "kernel.elf", c) == 1 && memcmp(c, "KERNEL  ELF", 11) == 0, "fat: lower-case 8.3 name: LFN, no tail");
    CHECK(gen(&u, "ker nel.elf", c) == 1 && memcmp(c, "KERNEL~1ELF", 11) == 0, "fat: same 8.3 spelling taken: tail added");
    CHECK(gen(&u, ".bashrc", c) == 1 && memcmp(c, "BASHRC~1   ", 11) == 0, "fat: leading dot dropped, tail added");
    CHECK(gen(&u, "archive.tar.gz", c) == 1 && memcmp(c, "ARCHIV~1GZ ", 11) == 0, "fat: last dot starts the extension");
    CHECK(gen(&u, "a+b=c.txt", c) == 1 && memcmp(c, "A_B_C~1 TXT", 11) == 0, "fat: invalid characters become '_'");
    CHECK(gen(&u, "\xc3\xbc" "ber.txt", c) == 1 && memcmp(c, "_BER~1  TXT", 11) == 0, "fat: non-ASCII becomes '_'");
    CHECK(gen(&u, "readme.markdown", c) == 1 && memcmp(c, "README~1MAR", 11) == 0, "fat: long extension truncated");

    /* Many alike: ~1..~9, then the base shrinks for ~10. */
    struct taken m = { .n = 0 };
    memset(&m, 0, sizeof m);
    char last[11];
    int distinct = 1, valid = 1;
    for (int i = 1; i <= 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "longname%d.txt", i);
        gen(&m, name, last);
        valid &= valid_short(last);
        for (int j = 0; j < m.n - 1; j++)
            distinct &= memcmp(m.list[j], last, 11) != 0;
    }
    CHECK(distinct && valid, "fat: twelve colliding names all distinct and valid");
    CHECK(memcmp(m.list[9], "LONGN~10TXT", 11) == 0, "fat: tenth collision is LONGN~10.TXT");

    /* A long name that is another entry's alias is the same name: found,
     * whichever was added first. */
    CHECK(mk_fat_names_find(&t.names, "LONGNA~1.TXT") != NULL && mk_fat_names_find(&t.names, "longna~1.txt") != NULL,
          "fat: an entry is found by its alias in any case");
    struct taken r;
    memset(&r, 0, sizeof r);
    gen(&r, "LONGNA~1.TXT", c);
    CHECK(gen(&r, "longname1.txt", c) == 1 && memcmp(c, "LONGNA~2TXT", 11) == 0,
          "fat: an alias never repeats an existing name");
    mk_fat_names_free(&t.names);
    mk_fat_names_free(&u.names);
    mk_fat_names_free(&m.names);
    mk_fat_names_free(&r.names);

    CHECK(fat_long_name_check("ok name.txt") == NULL, "fat: spaces allowed in long names");
    CHECK(fat_long_name_check("a:b") != NULL, "fat: ':' refused");
    CHECK(fat_long_name_check("trailing.") != NULL, "fat: trailing dot refused");
    CHECK(fat_long_name_check("..") != NULL, "fat: \"..\" refused");
    CHECK(fat_long_name_check("bad\xff") != NULL, "fat: invalid UTF-8 refused");
    uint16_t u16[4];
    CHECK(utf8_to_utf16("\xf0\x9f\x98\x80", 4, u16, 4) == 2 && u16[0] == 0xd83d && u16[1] == 0xde00,
          "fat: UTF-8 beyond the BMP becomes a surrogate pair");
}

/* ---- types and geometry ---------------------------------------------- */

static int rule_type(uint32_t clusters)
{
    return clusters <= FAT12_MAX_CLUSTERS ? 12 : clusters <= FAT16_MAX_CLUSTERS ? 16 : 32;
}

static void test_types(void)
{
    struct mk_fat_geom g;
    /* Every geometry mk_fat_geometry accepts has the type the cluster
     * count says, and both sides of each boundary are reached exactly. */
    int consistent = 1, hit4084 = 0, hit4085 = 0, hit65524 = 0, hit65525 = 0;
    for (uint64_t s = 3900; s < 4400; s++)
        for (int t = 12; t <= 16; t += 4)
            if (mk_fat_geometry(s, 512, t, 1, 512, &g) == 0) {
                consistent &= rule_type(g.clusters) == t && g.type == t;
                hit4084 |= g.clusters == 4084 && t == 12;
                hit4085 |= g.clusters == 4085 && t == 16;
            }
    for (uint64_t s = 65600; s < 67000; s++)
        for (int t = 16; t <= 32; t += 16)
            if (mk_fat_geometry(s, 512, t, 1, 512, &g) == 0) {
                consistent &= rule_type(g.clusters) == t && g.type == t;
                hit65524 |= g.clusters == 65524 && t == 16;
                hit65525 |= g.clusters == 65525 && t == 32;
            }
    CHECK(consistent, "fat: accepted geometries always match the cluster-count rule");
    CHECK(hit4084 && hit4085, "fat: FAT12 at 4084 clusters, FAT16 at 4085");
    CHECK(hit65524 && hit65525, "fat: FAT16 at 65524 clusters, FAT32 at 65525");
    CHECK(mk_fat_geometry(6000, 512, 12, 1, 512, &g) != 0, "fat: FAT12 refused with too many clusters");

    /* The FAT must cover every cluster, and not be needlessly big. */
    int covers = 1;
    for (uint64_t s = 2000; s < 600000; s = s * 5 / 4)
        for (int t = 12; t <= 32; t += (t == 12 ? 4 : 16))
            for (uint32_t spc = 1; spc <= 64; spc *= 2)
                if (mk_fat_geometry(s, 512, t, spc, 512, &g) == 0) {
                    uint64_t bits = (uint64_t)g.fat_sectors * 512 * 8;
                    covers &= (uint64_t)(g.clusters + 2) * t <= bits;
                    covers &= g.data_start % spc == 0;
                    covers &= g.data_start + (uint64_t)g.clusters * spc <= s;
                }
    CHECK(covers, "fat: FAT covers all clusters, data cluster-aligned, inside the volume");

    /* Automatic choice at the sizes the image tests use (ESP sectors). */
    CHECK(mk_fat_choose(2000, 512, 0, 512, &g) == NULL && g.type == 12, "fat: auto 1 MiB ESP is FAT12");
    CHECK(mk_fat_choose(14296, 512, 0, 512, &g) == NULL && g.type == 16, "fat: auto 7 MiB ESP is FAT16");
    CHECK(mk_fat_choose(66600, 512, 0, 512, &g) == NULL && g.type == 16, "fat: auto 66600 sectors: FAT16 (spec table)");
    CHECK(mk_fat_choose(66601, 512, 0, 512, &g) == NULL && g.type == 32 && g.clusters >= 65525,
          "fat: auto 66601 sectors: FAT32");
    CHECK(mk_fat_choose(128984, 512, 0, 512, &g) == NULL && g.type == 32 && g.spc == 1, "fat: auto 63 MiB ESP is FAT32, 512-byte clusters");
    CHECK(mk_fat_choose(1226744, 512, 0, 512, &g) == NULL && g.type == 32 && g.spc == 8, "fat: auto 600 MiB ESP is FAT32, 4 KiB clusters");
    CHECK(mk_fat_choose(0xffffffffULL, 512, 0, 512, &g) == NULL && g.type == 32 && g.spc == 64,
          "fat: auto 2 TiB ESP is FAT32, 32 KiB clusters");

    /* Forced types. */
    const char *why = mk_fat_choose(1226744, 512, 12, 512, &g);
    CHECK(why && strstr(why, "at most 4084"), "fat: --fat 12 refused on 600 MiB");
    why = mk_fat_choose(14296, 512, 32, 512, &g);
    CHECK(why && strstr(why, "at least 65525"), "fat: --fat 32 refused on 7 MiB");
    why = mk_fat_choose(2000, 512, 16, 512, &g);
    CHECK(why && strstr(why, "at least 4085"), "fat: --fat 16 refused on 1 MiB");
    CHECK(mk_fat_choose(128984, 512, 16, 512, &g) == NULL && g.type == 16, "fat: --fat 16 allowed on 63 MiB");
    CHECK(mk_fat_choose(128984, 512, 12, 512, &g) == NULL && g.type == 12 && g.clusters <= 4084,
          "fat: --fat 12 allowed on 63 MiB with big clusters");
    CHECK(mk_fat_choose(14296, 512, 12, 512, &g) == NULL && g.type == 12, "fat: --fat 12 allowed on 7 MiB");
}

/* 4096-byte sectors: the tables' cluster sizes by bytes, at least one
 * sector; FAT32 needs 65525 clusters, so at least 256 MiB at 4 KiB. */
static void test_types_4k(void)
{
    struct mk_fat_geom g;
    CHECK(mk_fat_choose(16123, 4096, 0, 512, &g) == NULL && g.type == 16 && g.spc == 1 && g.bps == 4096 &&
              g.root_sectors == 4,
          "fat 4K: auto 63 MiB ESP is FAT16, 4 KiB clusters (FAT32 would need 512-byte ones), root in 4 sectors");
    CHECK(mk_fat_choose(153600, 4096, 0, 512, &g) == NULL && g.type == 32 && g.spc == 1,
          "fat 4K: auto 600 MiB ESP is FAT32, 4 KiB clusters (the table's)");
    CHECK(mk_fat_choose(10485760, 4096, 0, 512, &g) == NULL && g.type == 32 && g.spc == 8,
          "fat 4K: auto 40 GiB ESP is FAT32, 32 KiB clusters (8 sectors)");
    CHECK(mk_fat_choose(250, 4096, 0, 512, &g) == NULL && g.type == 12 && g.spc == 1, "fat 4K: auto 1000 KiB ESP is FAT12");
    const char *why = mk_fat_choose(16123, 4096, 32, 512, &g);
    CHECK(why && strstr(why, "at least 65525") && strstr(why, "4096-byte clusters"),
          "fat 4K: --fat 32 refused on 63 MiB, naming 4096-byte clusters");
    int ok = 1;
    for (uint64_t s = 200; s < 3000000; s = s * 3 / 2)
        for (int t = 12; t <= 32; t += (t == 12 ? 4 : 16))
            for (uint32_t spc = 1; spc <= 8; spc *= 2)
                if (mk_fat_geometry(s, 4096, t, spc, 512, &g) == 0) {
                    ok &= rule_type(g.clusters) == t;
                    ok &= (uint64_t)(g.clusters + 2) * t <= (uint64_t)g.fat_sectors * 4096 * 8;
                    ok &= g.data_start % spc == 0 && g.data_start + (uint64_t)g.clusters * spc <= s;
                }
    CHECK(ok, "fat 4K: accepted geometries match the rule, FAT covers all clusters, data aligned and inside");
    CHECK(mk_fat_geometry(16123, 4096, 16, 1, mk_fat_root_max(4096) + 128, &g) != 0 && mk_fat_root_max(4096) == 65408,
          "fat 4K: the fixed root holds at most 65408 entries (whole 4 KiB sectors)");
    CHECK(mk_fat_recommended_spc(1226744 / 8, 4096, 32) == 1 && mk_fat_recommended_spc(1226744, 512, 32) == 8,
          "fat 4K: the same 600 MiB volume gets 4 KiB clusters at either sector size");
}

/* ---- whole volumes, read back with common/fat.c ------------------------- */

struct disk { const struct mk_image *img; uint32_t ss; };

static int read_img(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    const struct disk *d = ctx;
    const struct mk_image *img = d->img;
    uint64_t off = lba * d->ss, len = (uint64_t)count * d->ss;
    if (off + len > img->size)
        return 1;
    memset(buf, 0, len);
    for (size_t i = 0; i < img->n; i++) {
        const struct mk_chunk *c = &img->chunk[i];
        uint64_t lo = c->off > off ? c->off : off;
        uint64_t hi = c->off + c->len < off + len ? c->off + c->len : off + len;
        if (lo < hi)
            memcpy((uint8_t *)buf + (lo - off), c->data + (lo - c->off), hi - lo);
    }
    return 0;
}

static int read_back(struct fat_vol *v, const char *path, const uint8_t *want, uint32_t len)
{
    struct fat_file f;
    if (fat_open(v, path, &f) != FAT_OK || f.size != len)
        return 0;
    uint8_t *buf = malloc(len + 1);
    int ok = fat_read_file(v, &f, buf, len, 0) == FAT_OK && memcmp(buf, want, len) == 0;
    free(buf);
    return ok;
}

/* A volume of `sectors` sectors of ss bytes at 1 MiB, written and read
 * back with common/fat.c on a disk of ss-byte sectors. */
static void test_volume(int type, uint64_t sectors, uint32_t ss)
{
    static uint8_t big[300000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 31 + (i >> 9));
    static const uint8_t small[] = "hello\n";
    char name[128];

    struct mk_fat fs;
    mk_fat_init(&fs);
    fs.sector_size = ss;
    mk_fat_set_label(&fs, "test vol");
    fs.volume_id = 0x12345678;
    CHECK(mk_fat_add(&fs, "/EFI/BOOT/BOOTX64.EFI", big, -1, 40000) == NULL, "fat: add EFI loader");
    CHECK(mk_fat_add(&fs, "/boot/kernel.elf", big, -1, sizeof big) == NULL, "fat: add kernel");
    CHECK(mk_fat_add(&fs, "/boot/boot.cfg", small, -1, 6) == NULL, "fat: add boot.cfg");
    CHECK(mk_fat_add(&fs, "/docs/A rather long file name, with commas.txt", small, -1, 6) == NULL, "fat: add long name");
    CHECK(mk_fat_add(&fs, "/docs/empty", small, -1, 0) == NULL, "fat: add empty file");
    for (int i = 0; i < 40; i++) {   /* more than one cluster of folder entries */
        snprintf(name, sizeof name, "/many/longname%d.txt", i);
        mk_fat_add(&fs, name, small, -1, 6);
    }
    CHECK(mk_fat_add(&fs, "/boot/KERNEL.ELF", small, -1, 6) != NULL, "fat: case-insensitive duplicate refused");
    CHECK(mk_fat_add(&fs, "/boot/kernel.elf/x", small, -1, 6) != NULL, "fat: file used as a folder refused");
    CHECK(mk_fat_add(&fs, "relative", small, -1, 6) != NULL, "fat: relative destination refused");

    char why[256];
    int r = mk_fat_plan(&fs, sectors, type, why, sizeof why);
    snprintf(name, sizeof name, "fat: FAT%d volume of %llu %u-byte sectors planned", type, (unsigned long long)sectors, ss);
    CHECK(r == MK_FAT_OK && fs.g.type == type && fs.g.bps == ss, name);
    if (r != MK_FAT_OK) {
        printf("    %s\n", why);
        mk_fat_free(&fs);
        return;
    }
    uint64_t part = (1 << 20) / ss;
    struct mk_image img = { .size = (part + sectors) * ss };
    mk_fat_emit(&fs, part, &img);

    struct disk d = { &img, ss };
    struct fat_vol v;
    int m = fat_mount_dev(&v, read_img, &d, part, ss);
    snprintf(name, sizeof name, "fat: FAT%d (%u) mounts with common/fat.c as FAT%d, %u-byte sectors", type, ss, type, ss);
    CHECK(m == FAT_OK && v.type == type && v.bytes_per_sector == ss, name);
    if (m == FAT_OK) {
        snprintf(name, sizeof name, "fat: FAT%d (%u) files read back byte for byte", type, ss);
        CHECK(read_back(&v, "/EFI/BOOT/BOOTX64.EFI", big, 40000) && read_back(&v, "/boot/kernel.elf", big, sizeof big) &&
                  read_back(&v, "/boot/boot.cfg", small, 6) &&
                  read_back(&v, "/docs/A rather long file name, with commas.txt", small, 6) &&
                  read_back(&v, "/docs/empty", small, 0) && read_back(&v, "/many/longname39.txt", small, 6),
              name);
        snprintf(name, sizeof name, "fat: FAT%d (%u) short names resolve too", type, ss);
        CHECK(read_back(&v, "/DOCS/ARATHE~1.TXT", small, 6) && read_back(&v, "/MANY/LONGN~10.TXT", small, 6), name);
    }
    /* The boot sector carries the label; FSInfo the free count. */
    const struct mk_chunk *res = &img.chunk[0];
    snprintf(name, sizeof name, "fat: FAT%d (%u) boot sector signature and label", type, ss);
    int label_off = type == 32 ? 71 : 43;
    CHECK(res->data[510] == 0x55 && res->data[511] == 0xaa && memcmp(res->data + label_off, "TEST VOL   ", 11) == 0, name);
    if (type == 32) {
        struct fat_fsinfo fi;
        memcpy(&fi, res->data + ss, sizeof fi);
        CHECK(fi.lead_sig == 0x41615252 && fi.struct_sig == 0x61417272 && fi.trail_sig == 0xaa550000 &&
                  fi.free_count == fs.g.clusters - fs.used_clusters,
              "fat: FAT32 FSInfo signatures and free count (in sector 1)");
        CHECK(memcmp(res->data, res->data + 6 * ss, 2 * ss) == 0, "fat: FAT32 backup boot sector and FSInfo at 6");
    }
    mk_image_free(&img);
    mk_fat_free(&fs);
}

int main(void)
{
    test_names();
    test_types();
    test_volume(12, 2000, 512);
    test_volume(16, 14296, 512);
    test_volume(32, 128984, 512);
    test_volume(16, 128984, 512);
    /* 4Kn: the 64 MiB default image's ESP, a 2 MiB image's, 600 MiB */
    test_volume(16, 16123, 4096);
    test_volume(12, 250, 4096);
    test_volume(32, 153600, 4096);
    test_types_4k();
    return check_exit();
}

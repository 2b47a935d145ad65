/* fat_open / fat_read_file / fat_list on a FAT12 volume built by hand in
 * memory, so every read call can be counted: one call per contiguous run
 * (split at max_run), only a partial last sector through the scratch
 * buffer; chains that are short, loop, or hit a free cluster are errors;
 * long names with a bad checksum are ignored; 8.3 names match in any case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fat.h"
#include "fat_walk.h"

/* Layout: 1 reserved, 2 FATs of 1 sector, 1 root sector (16 entries),
 * then 300 one-sector clusters. The volume starts at LBA 100 of the disk
 * so the partition offset is exercised too. */
#define PART_LBA   100
#define TOTAL      304
#define DATA_LBA   4
#define DISK_SECTORS (PART_LBA + TOTAL)

static uint8_t disk[DISK_SECTORS][512];

struct call { uint64_t lba; uint32_t count; };
static struct call calls[256];
static int ncalls;
static uint64_t fail_lba = ~0ull;

static int mem_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    if (ncalls < 256)
        calls[ncalls++] = (struct call){ lba, count };
    if (lba <= fail_lba && fail_lba < lba + count)
        return 0x20;
    if (lba + count > DISK_SECTORS)
        return 0x40;
    memcpy(buf, disk[lba], (size_t)count * 512);
    return 0;
}

static uint8_t *sec(uint32_t rel) { return disk[PART_LBA + rel]; }
static uint8_t *cluster(uint32_t c) { return sec(DATA_LBA + c - 2); }

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }

static void fat12_set_copy(int copy, uint32_t c, uint16_t val)
{
    {
        uint8_t *f = sec(1 + copy);
        uint32_t off = c + c / 2;
        uint16_t cur = (uint16_t)(f[off] | f[off + 1] << 8);
        cur = (c & 1) ? (uint16_t)((cur & 0x000f) | val << 4) : (uint16_t)((cur & 0xf000) | (val & 0xfff));
        put16(f + off, cur);
    }
}

static void fat12_set(uint32_t c, uint16_t val)
{
    fat12_set_copy(0, c, val);
    fat12_set_copy(1, c, val);
}

static void chain(const uint32_t *cl, int n)
{
    for (int i = 0; i < n; i++)
        fat12_set(cl[i], i + 1 < n ? (uint16_t)cl[i + 1] : 0xfff);
}

static void fill(const uint32_t *cl, int n, uint8_t seed)
{
    for (int i = 0; i < n; i++)
        for (int b = 0; b < 512; b++)
            cluster(cl[i])[b] = (uint8_t)(seed + i * 7 + b * 13);
}

/* A directory entry at slot i of a directory sector. */
static struct fat_dirent *dirent_at(uint8_t *dirsec, int i) { return (struct fat_dirent *)(dirsec + 32 * i); }

static void short_entry(uint8_t *dirsec, int i, const char name11[11], uint8_t attr,
                        uint32_t first, uint32_t size, uint8_t nt)
{
    struct fat_dirent *e = dirent_at(dirsec, i);
    memset(e, 0, sizeof *e);
    memcpy(e->name, name11, 11);
    e->attr = attr;
    e->nt_reserved = nt;
    e->cluster_lo = (uint16_t)first;
    e->size = size;
}

/* LFN entries for `name` into slots i.. (stored last piece first); returns
 * the slot of the short entry that must follow. */
static int lfn_entries(uint8_t *dirsec, int i, const char *name, const char short11[11], int bad_sum)
{
    int len = (int)strlen(name);
    int pieces = (len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
    uint8_t sum = fat_lfn_checksum(short11);
    if (bad_sum)
        sum ^= 0x5a;
    for (int p = pieces; p >= 1; p--, i++) {
        struct fat_lfn l;
        memset(&l, 0, sizeof l);
        l.order = (uint8_t)(p | (p == pieces ? FAT_LFN_LAST : 0));
        l.attr = FAT_ATTR_LFN;
        l.checksum = sum;
        uint16_t u[13];
        for (int k = 0; k < 13; k++) {
            int at = (p - 1) * 13 + k;
            u[k] = at < len ? (uint16_t)(uint8_t)name[at] : at == len ? 0 : 0xffff;
        }
        memcpy(l.name1, u, sizeof l.name1);
        memcpy(l.name2, u + 5, sizeof l.name2);
        memcpy(l.name3, u + 11, sizeof l.name3);
        memcpy(dirsec + 32 * i, &l, sizeof l);
    }
    return i;
}

static void build_volume(void)
{
    uint8_t *b = sec(0);
    b[0] = 0xeb; b[1] = 0x3c; b[2] = 0x90;
    memcpy(b + 3, "HANDMADE", 8);
    put16(b + 11, 512);
    b[13] = 1;
    put16(b + 14, 1);
    b[16] = 2;
    put16(b + 17, 16);
    put16(b + 19, TOTAL);
    b[21] = 0xf8;
    put16(b + 22, 1);
    b[510] = 0x55; b[511] = 0xaa;
    fat12_set(0, 0xff8);
    fat12_set(1, 0xfff);

    uint8_t *root = sec(3);
    int i = 0;
    short_entry(root, i++, "HANDMADE   ", FAT_ATTR_VOLUME_ID, 0, 0, 0);

    /* "Kernel Image.elf": 2460 bytes in clusters 2,3,4 then 7,8. */
    static const uint32_t kern[] = { 2, 3, 4, 7, 8 };
    chain(kern, 5);
    fill(kern, 5, 1);
    i = lfn_entries(root, i, "Kernel Image.elf", "KERNEL~1ELF", 0);
    short_entry(root, i++, "KERNEL~1ELF", FAT_ATTR_ARCHIVE, 2, 2460, 0);

    /* A deleted entry in between is skipped. */
    short_entry(root, i, "GONE    TXT", 0, 0, 0, 0);
    root[32 * i++] = 0xe5;

    /* Lower-case 8.3 name via the NT flags. */
    static const uint32_t readme[] = { 10 };
    chain(readme, 1);
    fill(readme, 1, 2);
    short_entry(root, i++, "README  TXT", FAT_ATTR_ARCHIVE, 10, 10, 0x18);

    /* A long name whose checksum does not match its short entry. */
    static const uint32_t badsum[] = { 15 };
    chain(badsum, 1);
    i = lfn_entries(root, i, "a long orphan name.txt", "BADSUM  TXT", 1);
    short_entry(root, i++, "BADSUM  TXT", FAT_ATTR_ARCHIVE, 15, 5, 0);

    /* Chain faults. */
    static const uint32_t loop[] = { 20, 21 };
    chain(loop, 2);
    fat12_set(21, 20);                       /* 20 -> 21 -> 20 -> ... */
    short_entry(root, i++, "LOOP    BIN", FAT_ATTR_ARCHIVE, 20, 3 * 512, 0);
    fat12_set(30, 0xfff);                    /* one cluster for 1000 bytes */
    short_entry(root, i++, "SHORT   BIN", FAT_ATTR_ARCHIVE, 30, 1000, 0);
    fat12_set(40, 0x000);                    /* a free cluster inside a chain */
    short_entry(root, i++, "FREE    BIN", FAT_ATTR_ARCHIVE, 40, 100, 0);
    static const uint32_t longer[] = { 50, 51 };
    chain(longer, 2);                        /* two clusters for 100 bytes */
    short_entry(root, i++, "LONGER  BIN", FAT_ATTR_ARCHIVE, 50, 100, 0);
    short_entry(root, i++, "EMPTY   DAT", FAT_ATTR_ARCHIVE, 0, 0, 0);

    /* SUB/ (cluster 60) with ".", "..", and "Deep Dir" (61) holding DATA.BIN (62,63). */
    static const uint32_t sub[] = { 60 }, deep[] = { 61 }, data[] = { 62, 63 };
    chain(sub, 1);
    chain(deep, 1);
    chain(data, 2);
    fill(data, 2, 3);
    short_entry(root, i++, "SUB        ", FAT_ATTR_DIRECTORY, 60, 0, 0);
    short_entry(cluster(60), 0, ".          ", FAT_ATTR_DIRECTORY, 60, 0, 0);
    short_entry(cluster(60), 1, "..         ", FAT_ATTR_DIRECTORY, 0, 0, 0);
    int j = lfn_entries(cluster(60), 2, "Deep Dir", "DEEPDI~1   ", 0);
    short_entry(cluster(60), j, "DEEPDI~1   ", FAT_ATTR_DIRECTORY, 61, 0, 0);
    short_entry(cluster(61), 0, ".          ", FAT_ATTR_DIRECTORY, 61, 0, 0);
    short_entry(cluster(61), 1, "..         ", FAT_ATTR_DIRECTORY, 60, 0, 0);
    short_entry(cluster(61), 2, "DATA    BIN", FAT_ATTR_ARCHIVE, 62, 600, 0);
    if (i > 16) {
        fprintf(stderr, "test bug: root directory overflow\n");
        exit(2);
    }
}

static int data_calls(int from, uint32_t *sectors)
{
    int n = 0;
    *sectors = 0;
    for (int k = from; k < ncalls; k++)
        if (calls[k].lba >= PART_LBA + DATA_LBA) {
            n++;
            *sectors += calls[k].count;
        }
    return n;
}

static int same_as_clusters(const uint8_t *buf, const uint32_t *cl, uint32_t len)
{
    for (uint32_t off = 0; off < len; off++)
        if (buf[off] != cluster(cl[off / 512])[off % 512])
            return 0;
    return 1;
}

struct names { char list[1024]; int problems; };
static int name_cb(void *ctx, const char *name, const struct fat_file *f)
{
    struct names *n = ctx;
    (void)f;
    strncat(n->list, name, sizeof n->list - strlen(n->list) - 2);
    strcat(n->list, "|");
    return 0;
}

static struct fat_vol vol;

static int walk_cb(void *ctx, enum fat_walk_what what, const char *path, const struct fat_file *f, int err,
                   const char *why)
{
    struct names *n = ctx;
    (void)f;
    (void)err;
    if (what == FAT_WALK_DIR)
        return 0;
    size_t len = strlen(n->list);
    snprintf(n->list + len, sizeof n->list - len, "%s%s%s%s|", what == FAT_WALK_PROBLEM ? "!" : "", path,
             why ? ": " : "", why ? why : "");
    n->problems += what == FAT_WALK_PROBLEM;
    return 0;
}

int main(void)
{
    build_volume();
    CHECK(fat_mount(&vol, mem_read, NULL, PART_LBA) == FAT_OK && vol.type == 12 && vol.clusters == 300,
          "fat read: hand-made FAT12 mounts");

    struct fat_file f;
    static uint8_t buf[4096];
    static const uint32_t kern[] = { 2, 3, 4, 7, 8 };

    CHECK(fat_open(&vol, "/Kernel Image.elf", &f) == FAT_OK && f.size == 2460 && f.first_cluster == 2,
          "fat read: long name opens");
    CHECK(fat_open(&vol, "/KERNEL IMAGE.ELF", &f) == FAT_OK, "fat read: long name matches case-insensitively");
    CHECK(fat_open(&vol, "/kernel~1.elf", &f) == FAT_OK && f.first_cluster == 2, "fat read: 8.3 alias matches");
    CHECK(fat_open(&vol, "//Kernel Image.elf", &f) == FAT_OK, "fat read: repeated slashes ignored");
    CHECK(fat_open(&vol, "/Kernel Image.el", &f) == FAT_ENOENT, "fat read: prefix of a long name does not match");
    CHECK(fat_open(&vol, "/Kernel Image.elfx", &f) == FAT_ENOENT, "fat read: longer name does not match");

    fat_open(&vol, "/Kernel Image.elf", &f);
    int mark = ncalls;
    uint32_t sectors;
    memset(buf, 0xcc, sizeof buf);
    CHECK(fat_read_file(&vol, &f, buf, f.size, 0) == FAT_OK && same_as_clusters(buf, kern, 2460),
          "fat read: fragmented file reads back");
    /* runs: 2-4 (3 sectors) and 7-8 (1 whole sector + a 412-byte tail). */
    CHECK(data_calls(mark, &sectors) == 3 && sectors == 5, "fat read: one call per run plus the tail");
    CHECK(buf[2460] == 0xcc, "fat read: nothing written past len");

    mark = ncalls;
    CHECK(fat_read_file(&vol, &f, buf, f.size, 2) == FAT_OK && same_as_clusters(buf, kern, 2460),
          "fat read: max_run 2 reads the same bytes");
    /* 2 + 1 calls for the run; the tail sector is still in the scratch buffer. */
    CHECK(data_calls(mark, &sectors) == 3 && sectors == 4, "fat read: max_run 2 splits the 3-sector run");

    mark = ncalls;
    CHECK(fat_read_file(&vol, &f, buf, 1024, 0) == FAT_OK && same_as_clusters(buf, kern, 1024),
          "fat read: prefix of a file");
    CHECK(data_calls(mark, &sectors) == 1 && sectors == 2, "fat read: prefix reads only what it needs");
    CHECK(fat_read_file(&vol, &f, buf, 2461, 0) == FAT_EINVAL, "fat read: len beyond size refused");

    CHECK(fat_open(&vol, "/readme.txt", &f) == FAT_OK && f.size == 10, "fat read: NT lower-case 8.3 name");
    CHECK(fat_open(&vol, "/README.TXT", &f) == FAT_OK, "fat read: 8.3 upper-case lookup");
    CHECK(fat_open(&vol, "/GONE.TXT", &f) == FAT_ENOENT, "fat read: deleted entry not found");
    CHECK(fat_open(&vol, "/HANDMADE", &f) == FAT_ENOENT, "fat read: volume label not a file");
    CHECK(fat_open(&vol, "/a long orphan name.txt", &f) == FAT_ENOENT,
          "fat read: long name with bad checksum ignored");
    CHECK(fat_open(&vol, "/badsum.txt", &f) == FAT_OK, "fat read: its short name still works");

    CHECK(fat_open(&vol, "/LOOP.BIN", &f) == FAT_OK && fat_read_file(&vol, &f, buf, f.size, 0) == FAT_ECORRUPT,
          "fat read: chain loop detected");
    CHECK(fat_open(&vol, "/SHORT.BIN", &f) == FAT_OK && fat_read_file(&vol, &f, buf, f.size, 0) == FAT_ECORRUPT,
          "fat read: chain shorter than size detected");
    CHECK(fat_open(&vol, "/FREE.BIN", &f) == FAT_OK && fat_read_file(&vol, &f, buf, f.size, 0) == FAT_ECORRUPT,
          "fat read: free cluster in a chain detected");
    CHECK(fat_open(&vol, "/LONGER.BIN", &f) == FAT_OK && fat_read_file(&vol, &f, buf, f.size, 0) == FAT_ECORRUPT,
          "fat read: chain longer than size detected");
    CHECK(fat_open(&vol, "/EMPTY.DAT", &f) == FAT_OK && f.size == 0 && fat_read_file(&vol, &f, buf, 0, 0) == FAT_OK,
          "fat read: empty file");

    static const uint32_t data[] = { 62, 63 };
    CHECK(fat_open(&vol, "/sub/deep dir/data.bin", &f) == FAT_OK && f.size == 600 &&
          fat_read_file(&vol, &f, buf, 600, 0) == FAT_OK && same_as_clusters(buf, data, 600),
          "fat read: nested long-named directory");
    CHECK(fat_open(&vol, "/SUB/DEEPDI~1/../DEEPDI~1/./DATA.BIN", &f) == FAT_OK && f.size == 600,
          "fat read: . and .. components");
    CHECK(fat_open(&vol, "/SUB/..", &f) == FAT_OK && f.first_cluster == 0 && (f.attr & FAT_ATTR_DIRECTORY),
          "fat read: .. of a first-level directory is the root");
    CHECK(fat_open(&vol, "/SUB", &f) == FAT_OK && (f.attr & FAT_ATTR_DIRECTORY) &&
          fat_read_file(&vol, &f, buf, 0, 0) == FAT_EISDIR, "fat read: directory is not read as a file");
    CHECK(fat_open(&vol, "/readme.txt/x", &f) == FAT_ENOTDIR, "fat read: file used as a directory");
    CHECK(fat_open(&vol, "/nothing/x", &f) == FAT_ENOENT, "fat read: missing directory");
    CHECK(fat_open(&vol, "/", &f) == FAT_OK && (f.attr & FAT_ATTR_DIRECTORY), "fat read: root opens");

    struct names n = { "", 0 };
    CHECK(fat_list(&vol, "/", name_cb, &n) == FAT_OK, "fat list: root lists");
    CHECK(strcmp(n.list, "Kernel Image.elf|readme.txt|BADSUM.TXT|LOOP.BIN|SHORT.BIN|FREE.BIN|"
                         "LONGER.BIN|EMPTY.DAT|SUB|") == 0, "fat list: root names and order");
    if (strcmp(n.list, "Kernel Image.elf|readme.txt|BADSUM.TXT|LOOP.BIN|SHORT.BIN|FREE.BIN|LONGER.BIN|EMPTY.DAT|SUB|"))
        printf("    got %s\n", n.list);
    memset(&n, 0, sizeof n);
    CHECK(fat_list(&vol, "/sub", name_cb, &n) == FAT_OK && strcmp(n.list, "Deep Dir|") == 0,
          "fat list: subdirectory without . and ..");
    CHECK(fat_list(&vol, "/readme.txt", name_cb, &n) == FAT_ENOTDIR, "fat list: a file is not listed");

    fat_open(&vol, "/Kernel Image.elf", &f);
    fail_lba = PART_LBA + DATA_LBA + (7 - 2);
    CHECK(fat_read_file(&vol, &f, buf, f.size, 0) == FAT_EIO && vol.last_error == 0x20 &&
          vol.last_error_lba == fail_lba, "fat read: disk error names status and LBA");
    fail_lba = ~0ull;

    /* The second FAT. An entry FAT #1 cannot use (free) is taken from
     * FAT #2; a chain FAT #1 ends early is followed again in FAT #2. */
    fat_open(&vol, "/Kernel Image.elf", &f);
    fat12_set_copy(0, 3, 0x000);
    fat_mount(&vol, mem_read, NULL, PART_LBA);
    CHECK(fat_read_file(&vol, &f, buf, f.size, 0) == FAT_OK && same_as_clusters(buf, kern, 2460) && vol.fallbacks == 1,
          "fat read: a free entry in FAT #1 is read from FAT #2");
    fat12_set_copy(0, 3, 0xfff);
    fat_mount(&vol, mem_read, NULL, PART_LBA);
    CHECK(fat_read_file(&vol, &f, buf, f.size, 0) == FAT_OK && same_as_clusters(buf, kern, 2460) && vol.fallbacks == 1,
          "fat read: a chain FAT #1 ends too early is read through FAT #2");
    fat12_set_copy(1, 3, 0xfff);
    CHECK(fat_read_file(&vol, &f, buf, f.size, 0) == FAT_ECORRUPT && vol.corrupt && strstr(vol.corrupt, "shorter"),
          "fat read: short in both copies is corrupt, and says why");
    fat12_set(3, 4);
    fail_lba = PART_LBA + 1;                 /* FAT #1 unreadable */
    fat_mount(&vol, mem_read, NULL, PART_LBA);
    CHECK(fat_read_file(&vol, &f, buf, f.size, 0) == FAT_OK && same_as_clusters(buf, kern, 2460),
          "fat read: an unreadable FAT #1 sector is read from FAT #2");
    fail_lba = ~0ull;

    /* A size larger than the data area is corrupt at fat_open, before
     * anyone allocates it (a kernel entry claiming 0xF0000000 bytes). */
    struct fat_dirent *kd = dirent_at(sec(3), 3);
    uint32_t real = kd->size;
    kd->size = 0xf0000000u;
    CHECK(fat_open(&vol, "/Kernel Image.elf", &f) == FAT_ECORRUPT && strstr(vol.corrupt, "larger than the volume"),
          "fat open: a size beyond the data area is corrupt");
    kd->size = real;

    /* The bounded walk: every file once; a directory pointing at one above
     * it is a cycle, one sharing another's cluster is cross-linked; both
     * reported, neither entered. */
    static struct fat_walk w;
    struct names wn = { "", 0 };
    fat_mount(&vol, mem_read, NULL, PART_LBA);
    CHECK(fat_walk(&vol, &w, walk_cb, &wn) == 0 && strstr(wn.list, "/SUB/Deep Dir/DATA.BIN|") && wn.problems == 0,
          "fat walk: every file, no problem on a sound volume");
    short_entry(cluster(61), 3, "UP         ", FAT_ATTR_DIRECTORY, 60, 0, 0);    /* Deep Dir/UP -> SUB */
    short_entry(cluster(60), 4, "COPY       ", FAT_ATTR_DIRECTORY, 61, 0, 0);     /* SUB/COPY -> Deep Dir again */
    memset(&wn, 0, sizeof wn);
    int wr = fat_walk(&vol, &w, walk_cb, &wn);
    CHECK(wr == FAT_ECORRUPT && strstr(wn.list, "!/SUB/Deep Dir/UP: directory cycle") &&
          strstr(wn.list, "!/SUB/COPY: cross-linked"), "fat walk: cycle and cross-link reported, walk ends");
    if (!strstr(wn.list, "cross-linked"))
        printf("    got %s\n", wn.list);
    memset(dirent_at(cluster(61), 3), 0, 32);
    memset(dirent_at(cluster(60), 4), 0, 32);

    /* A directory whose chain loops must end with an error, not spin. */
    fat12_set(60, 60);
    for (int s = 4; s < 16; s++)     /* fill SUB's cluster: no end marker */
        short_entry(cluster(60), s, "FILLER  BIN", FAT_ATTR_ARCHIVE, 0, 0, 0);
    fat_mount(&vol, mem_read, NULL, PART_LBA);   /* drop the cached FAT sector */
    int rc = fat_open(&vol, "/SUB/NOTHERE", &f);
    CHECK(rc == FAT_ECORRUPT, "fat read: directory chain loop detected");
    if (rc != FAT_ECORRUPT)
        printf("    got %d\n", rc);
    return check_exit();
}

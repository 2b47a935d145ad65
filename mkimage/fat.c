/* The ESP's FAT volume: a tree of folders and files, laid out with every
 * folder first and then every file, each in one contiguous run of
 * clusters, and written as boot sector(s), FSInfo, two FATs, the root
 * directory, the folders and the files -- only the parts that are not
 * zero, file contents by reference to the input buffers. */
#include "mk_fat.h"
#include "mk.h"
#include "utf8.h"

/* Media byte of a fixed disk, in the BPB and in FAT entry 0. */
#define MK_FAT_MEDIA 0xf8

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void mk_fat_init(struct mk_fat *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->sector_size = 512;
    fs->root.is_dir = 1;
    memset(fs->label, ' ', 11);
    mk_fat_set_time(fs, 315532800);   /* 1980-01-01 00:00:00 UTC, FAT's epoch */
}

static void free_node(struct mk_fat_node *n)
{
    mk_fat_names_free(&n->names);
    struct mk_fat_node *c = n->first;
    while (c) {
        struct mk_fat_node *next = c->next;
        free_node(c);
        free(c->name);
        free(c);
        c = next;
    }
}

void mk_fat_free(struct mk_fat *fs)
{
    free_node(&fs->root);
    memset(&fs->root, 0, sizeof fs->root);
}

const char *mk_fat_set_label(struct mk_fat *fs, const char *label)
{
    size_t n = strlen(label);
    if (n > 11)
        return "a volume label has at most 11 characters";
    char l[11];
    memset(l, ' ', 11);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)fat_fold((uint8_t)label[i]);
        if (c != ' ' && !fat_short_char_ok(c))
            return "a volume label may hold only letters, digits, spaces and $%'-_@~`!(){}^#&";
        l[i] = (char)c;
    }
    memcpy(fs->label, l, 11);
    return NULL;
}

void mk_fat_set_time(struct mk_fat *fs, int64_t epoch)
{
    /* FAT dates run from 1980 to 2107. */
    if (epoch < 315532800)
        epoch = 315532800;
    if (epoch > 4354819198LL)
        epoch = 4354819198LL;   /* 2107-12-31 23:59:58 */
    time_t t = (time_t)epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    fs->date = (uint16_t)((tm.tm_year + 1900 - 1980) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
    fs->time = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
}

/* ---- the tree ---------------------------------------------------------- */

static uint32_t lfn_slots(const struct mk_fat_node *n)
{
    return n->need_lfn ? (uint32_t)((n->ulen + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS) : 0;
}

static const char *add_child(struct mk_fat *fs, struct mk_fat_node *dir, const char *name, int is_dir,
                             struct mk_fat_node **out)
{
    const char *why = fat_long_name_check(name);
    if (why)
        return why;
    struct mk_fat_node *n = mk_zalloc(sizeof *n);
    n->fd = -1;
    n->ulen = utf8_to_utf16(name, strlen(name), n->uname, FAT_NAME_MAX);
    /* Whether LFN entries are needed depends on the name alone; the 8.3
     * alias itself is chosen once every name of the folder is known
     * (assign_aliases), so no order of --file options can make an alias
     * equal to another entry's long name. */
    int lossy, exact;
    fat_short_basis(name, n->short_name, &lossy, &exact);
    n->need_lfn = !exact;
    /* The root may hold the label, any other folder holds . and .. */
    uint32_t fixed = dir == &fs->root ? 1 : 2;
    if (fixed + dir->slots + 1 + lfn_slots(n) > FAT_DIR_MAX_ENTRIES) {
        free(n);
        return "the folder would need more than the 65536 entries FAT allows in one folder";
    }
    dir->slots += 1 + lfn_slots(n);
    n->name = mk_strdup(name);
    n->is_dir = is_dir;
    n->parent = dir;
    mk_fat_names_add(&dir->names, name, n);
    if (dir->last)
        dir->last->next = n;
    else
        dir->first = n;
    dir->last = n;
    *out = n;
    return NULL;
}

/* Every entry's 8.3 alias, folder by folder in the order entries were
 * added. Returns NULL or the path of a folder that ran out of aliases. */
static const struct mk_fat_node *assign_aliases(struct mk_fat_node *dir)
{
    for (struct mk_fat_node *c = dir->first; c; c = c->next) {
        char text[13];
        if (mk_fat_alias(&dir->names, c->name, c, c->short_name) < 0)
            return dir;
        fat_short_to_text(c->short_name, 0, text);
        mk_fat_names_add(&dir->names, text, c);
    }
    for (struct mk_fat_node *c = dir->first; c; c = c->next) {
        const struct mk_fat_node *bad = c->is_dir ? assign_aliases(c) : NULL;
        if (bad)
            return bad;
    }
    return NULL;
}

const char *mk_fat_add(struct mk_fat *fs, const char *path, const uint8_t *data, int fd, uint64_t size)
{
    if (path[0] != '/')
        return "destination must be an absolute path on the ESP (\"/...\")";
    if (size > 0xffffffffULL)
        return "file of 4 GiB or more: FAT cannot hold it";
    struct mk_fat_node *dir = &fs->root;
    const char *p = path;
    char part[1024];
    for (;;) {
        while (*p == '/')
            p++;
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0)
            return "destination names a folder, not a file";
        if (len >= sizeof part)
            return "path component too long";
        memcpy(part, p, len);
        part[len] = 0;
        p += len;
        while (*p == '/')
            p++;
        int last = *p == 0;
        struct mk_fat_node *c = mk_fat_names_find(&dir->names, part);
        if (last) {
            if (c)
                return c->is_dir ? "a folder of that name already exists"
                                 : "a file of that name already exists (names are case-insensitive)";
            const char *why = add_child(fs, dir, part, 0, &c);
            if (why)
                return why;
            c->data = data;
            c->fd = fd;
            c->size = size;
            return NULL;
        }
        if (c && !c->is_dir)
            return "a parent folder on the path is a file";
        if (!c) {
            const char *why = add_child(fs, dir, part, 1, &c);
            if (why)
                return why;
        }
        dir = c;
    }
}

/* ---- sizes ------------------------------------------------------------- */

/* 32-byte directory slots a folder needs. */
static uint32_t dir_slots(const struct mk_fat *fs, const struct mk_fat_node *d)
{
    return d->slots + (d == &fs->root ? (memcmp(fs->label, "           ", 11) != 0) : 2);
}

static uint64_t node_clusters(const struct mk_fat *fs, const struct mk_fat_node *n, uint64_t cb, int fixed_root)
{
    if (n->is_dir) {
        if (n == &fs->root && fixed_root)
            return 0;
        uint64_t c = mk_div_up((uint64_t)dir_slots(fs, n) * 32, cb);
        return c ? c : 1;
    }
    return mk_div_up(n->size, cb);
}

static uint64_t tree_clusters(const struct mk_fat *fs, const struct mk_fat_node *n, uint64_t cb, int fixed_root)
{
    uint64_t sum = node_clusters(fs, n, cb, fixed_root);
    for (const struct mk_fat_node *c = n->first; c; c = c->next)
        sum += tree_clusters(fs, c, cb, fixed_root);
    return sum;
}

static uint32_t root_entries_needed(const struct mk_fat *fs)
{
    /* 512 is what every formatter uses; more only if the root needs it. */
    uint32_t n = dir_slots(fs, &fs->root);
    n = (uint32_t)mk_align_up(n, fs->sector_size / 32);
    return n < 512 ? 512 : n;
}

int mk_fat_plan(struct mk_fat *fs, uint64_t sectors, int want_type, char *why, size_t whylen)
{
    if (!fs->aliased) {
        const struct mk_fat_node *full = assign_aliases(&fs->root);
        if (full) {
            snprintf(why, whylen, "no free 8.3 name left in folder %s", full == &fs->root ? "/" : full->name);
            return MK_FAT_ENOSPC;
        }
        fs->aliased = 1;
    }
    const char *r = mk_fat_choose(sectors, fs->sector_size, want_type, root_entries_needed(fs), &fs->g);
    if (r) {
        snprintf(why, whylen, "%s", r);
        return MK_FAT_ETYPE;
    }
    uint64_t need = tree_clusters(fs, &fs->root, (uint64_t)fs->g.spc * fs->g.bps, fs->g.type != 32);
    if (need > fs->g.clusters) {
        snprintf(why, whylen, "the files need %llu clusters of %u bytes, the FAT%d volume has %u",
                 (unsigned long long)need, fs->g.spc * fs->g.bps, fs->g.type, fs->g.clusters);
        return MK_FAT_ENOSPC;
    }
    return MK_FAT_OK;
}

/* ---- layout and emission ---------------------------------------------- */

struct emit {
    struct mk_fat *fs;
    struct mk_image *img;
    uint64_t data_off;      /* image byte offset of cluster 2 */
    uint32_t next;          /* next free cluster */
    uint32_t dir_end;       /* first cluster after the folders */
    uint64_t cb;            /* bytes per cluster */
    uint8_t *dirs;          /* the folders' clusters, from cluster 2 on */
    uint8_t *root;          /* FAT12/16 fixed root directory */
};

static void alloc_dirs(struct emit *e, struct mk_fat_node *n)
{
    if (n->is_dir) {
        uint64_t c = node_clusters(e->fs, n, e->cb, e->fs->g.type != 32);
        if (c) {
            n->cluster = e->next;
            n->nclusters = (uint32_t)c;
            e->next += (uint32_t)c;
        }
        for (struct mk_fat_node *k = n->first; k; k = k->next)
            alloc_dirs(e, k);
    }
}

static void alloc_files(struct emit *e, struct mk_fat_node *n)
{
    for (struct mk_fat_node *k = n->first; k; k = k->next) {
        if (k->is_dir) {
            alloc_files(e, k);
        } else {
            uint64_t c = node_clusters(e->fs, k, e->cb, 0);
            if (c) {
                k->cluster = e->next;
                k->nclusters = (uint32_t)c;
                e->next += (uint32_t)c;
            }
        }
    }
}

static uint8_t *dir_ptr(struct emit *e, uint32_t cluster)
{
    return e->dirs + (uint64_t)(cluster - 2) * e->cb;
}

static void put_short(uint8_t *slot, const struct mk_fat *fs, const char name[11], uint8_t attr,
                      uint32_t cluster, uint32_t size)
{
    struct fat_dirent d;
    memset(&d, 0, sizeof d);
    memcpy(d.name, name, 11);
    d.attr = attr;
    d.ctime = fs->time;
    d.cdate = fs->date;
    d.adate = fs->date;
    d.mtime = fs->time;
    d.mdate = fs->date;
    d.cluster_hi = (uint16_t)(cluster >> 16);
    d.cluster_lo = (uint16_t)cluster;
    d.size = size;
    memcpy(slot, &d, sizeof d);
}

/* Writes the LFN slots (last part first) and returns how many. */
static uint32_t put_lfn(uint8_t *slot, const struct mk_fat_node *n)
{
    uint32_t count = lfn_slots(n);
    uint8_t sum = fat_lfn_checksum(n->short_name);
    for (uint32_t i = 0; i < count; i++) {
        struct fat_lfn l;
        fat_lfn_pack(&l, n->uname, n->ulen, (int)(count - i), i == 0, sum);
        memcpy(slot + 32 * i, &l, sizeof l);
    }
    return count;
}

static void write_dir(struct emit *e, struct mk_fat_node *d)
{
    struct mk_fat *fs = e->fs;
    uint8_t *p = d == &fs->root && fs->g.type != 32 ? e->root : dir_ptr(e, d->cluster);
    uint32_t s = 0;
    if (d == &fs->root) {
        if (memcmp(fs->label, "           ", 11) != 0)
            put_short(p + 32 * s++, fs, fs->label, FAT_ATTR_VOLUME_ID, 0, 0);
    } else {
        /* ".." of a folder in the root points at cluster 0, even on FAT32. */
        uint32_t up = d->parent == &fs->root ? 0 : d->parent->cluster;
        put_short(p + 32 * s++, fs, ".          ", FAT_ATTR_DIRECTORY, d->cluster, 0);
        put_short(p + 32 * s++, fs, "..         ", FAT_ATTR_DIRECTORY, up, 0);
    }
    for (struct mk_fat_node *c = d->first; c; c = c->next) {
        s += put_lfn(p + 32 * s, c);
        put_short(p + 32 * s++, fs, c->short_name, c->is_dir ? FAT_ATTR_DIRECTORY : FAT_ATTR_ARCHIVE,
                  c->cluster, c->is_dir ? 0 : (uint32_t)c->size);
    }
    for (struct mk_fat_node *c = d->first; c; c = c->next) {
        if (c->is_dir)
            write_dir(e, c);
        else if (c->size && c->fd >= 0)
            /* Straight from the input file: the tail of its last cluster
             * is a hole in the sparse output, i.e. zero. */
            mk_image_file(e->img, e->data_off + (uint64_t)(c->cluster - 2) * e->cb, c->fd, c->size);
        else if (c->size)
            mk_image_ref(e->img, e->data_off + (uint64_t)(c->cluster - 2) * e->cb, c->data, c->size);
    }
}

static void chain(uint8_t *fat, int type, const struct mk_fat_node *n)
{
    for (uint32_t i = 0; i < n->nclusters; i++)
        fat_entry_set(fat, type, n->cluster + i, i + 1 < n->nclusters ? n->cluster + i + 1 : fat_eoc(type));
    for (const struct mk_fat_node *c = n->first; c; c = c->next)
        chain(fat, type, c);
}

static void boot_sector(const struct mk_fat *fs, uint8_t *s, uint64_t hidden)
{
    const struct mk_fat_geom *g = &fs->g;
    struct fat_bpb b;
    memset(&b, 0, sizeof b);
    /* jmp short past the BPB + nop; the code there (int 18h: "not
     * bootable, try the next device", then halt) only runs if something
     * chain-loads this volume. */
    int code = (int)(FAT_TAIL_OFFSET(g->type) + sizeof(struct fat_ext_tail));
    b.jmp[0] = 0xeb;
    b.jmp[1] = (uint8_t)(code - 2);
    b.jmp[2] = 0x90;
    /* The spec recommends this OEM name: some drivers are fussier
     * about anything else. */
    memcpy(b.oem, "MSWIN4.1", 8);
    b.bytes_per_sector = (uint16_t)g->bps;
    b.sectors_per_cluster = (uint8_t)g->spc;
    b.reserved_sectors = (uint16_t)g->reserved;
    b.num_fats = (uint8_t)g->num_fats;
    b.root_entries = (uint16_t)g->root_entries;
    if (g->type != 32 && g->total_sectors < 0x10000)
        b.total_sectors16 = (uint16_t)g->total_sectors;
    else
        b.total_sectors32 = g->total_sectors;
    b.media = MK_FAT_MEDIA;
    b.fat_size16 = g->type == 32 ? 0 : (uint16_t)g->fat_sectors;
    b.sectors_per_track = 63;
    b.num_heads = 255;
    b.hidden_sectors = hidden > 0xffffffffULL ? 0xffffffffu : (uint32_t)hidden;
    memcpy(s, &b, sizeof b);

    struct fat_ext_tail t;
    memset(&t, 0, sizeof t);
    t.drive_number = 0x80;
    t.boot_sig = FAT_EXT_BOOT_SIG;
    t.volume_id = fs->volume_id;
    memcpy(t.volume_label, memcmp(fs->label, "           ", 11) ? fs->label : "NO NAME    ", 11);
    memcpy(t.fs_type, g->type == 32 ? "FAT32   " : g->type == 16 ? "FAT16   " : "FAT12   ", 8);
    if (g->type == 32) {
        struct fat32_ext x;
        memset(&x, 0, sizeof x);
        x.fat_size32 = g->fat_sectors;
        x.root_cluster = fs->root.cluster;
        x.fs_info_sector = 1;
        x.backup_boot_sector = 6;
        x.tail = t;
        memcpy(s + sizeof b, &x, sizeof x);
    } else {
        memcpy(s + sizeof b, &t, sizeof t);
    }
    static const uint8_t not_bootable[] = { 0xcd, 0x18, 0xf4, 0xeb, 0xfd };  /* int 18h; hlt; jmp $-1 */
    memcpy(s + code, not_bootable, sizeof not_bootable);
    /* At 510 whatever the sector size (the specification, and what
     * Linux, fsck.fat and edk2 look at). */
    s[510] = 0x55;
    s[511] = 0xaa;
}

static void fsinfo(const struct mk_fat *fs, uint8_t *s, uint32_t next_free)
{
    struct fat_fsinfo f;
    memset(&f, 0, sizeof f);
    f.lead_sig = FAT_FSINFO_LEAD_SIG;
    f.struct_sig = FAT_FSINFO_STRUCT_SIG;
    f.free_count = fs->g.clusters - fs->used_clusters;
    f.next_free = next_free;
    f.trail_sig = FAT_FSINFO_TRAIL_SIG;
    memcpy(s, &f, sizeof f);
}

void mk_fat_emit(struct mk_fat *fs, uint64_t part_lba, struct mk_image *img)
{
    const struct mk_fat_geom *g = &fs->g;
    const uint64_t ss = g->bps, base = part_lba * ss;
    struct emit e = { .fs = fs, .img = img, .next = 2, .cb = (uint64_t)g->spc * ss };
    e.data_off = base + (uint64_t)g->data_start * ss;

    alloc_dirs(&e, &fs->root);
    e.dir_end = e.next;
    alloc_files(&e, &fs->root);
    fs->used_clusters = e.next - 2;

    /* Reserved area: boot sector; on FAT32 also FSInfo (1) and their
     * backups (6, 7). */
    uint8_t *res = mk_image_chunk(img, base, (uint64_t)g->reserved * ss);
    boot_sector(fs, res, part_lba);
    if (g->type == 32) {
        uint32_t next_free = e.next <= g->clusters + 1 ? e.next : FAT_FSINFO_UNKNOWN;
        fsinfo(fs, res + ss, next_free);
        memcpy(res + 6 * ss, res, 2 * ss);
    }

    /* FATs: only the sectors that hold used entries are non-zero. */
    uint64_t fat_bytes = mk_align_up(fat_table_bytes(g->type, e.next - 2), ss);
    uint8_t *fat = mk_image_chunk(img, base + (uint64_t)g->reserved * ss, fat_bytes);
    /* Entry 0 holds the media byte, entry 1 end-of-chain with the
     * "clean unmount" and "no I/O error" bits set. */
    fat_entry_set(fat, g->type, 0, fat_entry0(g->type, MK_FAT_MEDIA));
    fat_entry_set(fat, g->type, 1, fat_eoc(g->type));
    chain(fat, g->type, &fs->root);
    for (uint32_t i = 1; i < g->num_fats; i++) {
        uint64_t off = base + ((uint64_t)g->reserved + (uint64_t)i * g->fat_sectors) * ss;
        memcpy(mk_image_chunk(img, off, fat_bytes), fat, (size_t)fat_bytes);
    }

    if (g->type != 32) {
        uint64_t off = base + ((uint64_t)g->reserved + (uint64_t)g->num_fats * g->fat_sectors) * ss;
        e.root = mk_image_chunk(img, off, (uint64_t)g->root_sectors * ss);
    }
    if (e.dir_end > 2)
        e.dirs = mk_image_chunk(img, e.data_off, (uint64_t)(e.dir_end - 2) * e.cb);
    write_dir(&e, &fs->root);
}

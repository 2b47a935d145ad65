/* A small read-only FAT12/16/32 driver (Microsoft FAT specification).
 *
 * It runs in two places: the 32-bit BIOS stage2 (no libc, a small stack)
 * and the host (mkimage --inspect, fatcat, unit tests). So: only mem.h
 * routines, locals kept small, no recursion.
 *
 * All disk access goes through v->read in device sectors; the volume's own
 * (logical) sector may be larger (512..4096 bytes, a multiple of the
 * device's). Files are read with one read() per run of contiguous clusters
 * straight into the caller's buffer; only a partial last sector goes
 * through v->sector.
 *
 * Bounds (docs/media.md), so that no image can make it spin: a lookup
 * reads at most fat_dir_cluster_cap() clusters of each directory on the
 * path, a file read follows at most as many clusters as its size needs
 * (and a size is never more than the data area), and every FAT entry is
 * checked before it is followed. */
#include "fat.h"
#include "mem.h"
#include "utf8.h"

#define DIRENT 32u
/* "Directory entry with first cluster 0" means the root directory (the
 * ".." of a first-level directory); we use the same convention internally. */
#define ROOT_CLUSTER 0
#define CHAIN_END 0xffffffffu
#define LFN_MAX_UNITS (FAT_LFN_MAX_ENTRIES * FAT_LFN_CHARS)

const char *fat_strerror(int err)
{
    switch (err) {
    case FAT_OK:       return "ok";
    case FAT_EIO:      return "disk read failed";
    case FAT_ENOTFAT:  return "not a FAT volume";
    case FAT_ENOENT:   return "file not found";
    case FAT_ENOTDIR:  return "not a directory";
    case FAT_ECORRUPT: return "corrupt FAT volume";
    case FAT_EISDIR:   return "is a directory";
    case FAT_EINVAL:   return "invalid argument";
    default:           return "unknown FAT error";
    }
}

static int corrupt(struct fat_vol *v, const char *what)
{
    v->corrupt = what;
    return FAT_ECORRUPT;
}

/* Reads `count` logical sectors at `rel` (from the volume start). */
static int vol_read(struct fat_vol *v, uint64_t rel, uint32_t count, void *buf)
{
    uint32_t per = v->bytes_per_sector / v->dev_sector;
    uint64_t lba = v->part_lba + rel * per;
    int rc = v->read(v->ctx, lba, count * per, buf);
    if (rc) {
        v->last_error = rc;
        v->last_error_lba = lba;
        return FAT_EIO;
    }
    return FAT_OK;
}

static int is_pow2(uint32_t x) { return x && !(x & (x - 1)); }

/* ---- mount ---------------------------------------------------------------- */

int fat_mount(struct fat_vol *v, fat_read_fn read, void *ctx, uint64_t part_lba)
{
    return fat_mount_dev(v, read, ctx, part_lba, 512);
}

int fat_mount_dev(struct fat_vol *v, fat_read_fn read, void *ctx, uint64_t part_lba, uint32_t dev_sector)
{
    memset(v, 0, sizeof *v);
    v->read = read;
    v->ctx = ctx;
    v->part_lba = part_lba;
    v->dev_sector = dev_sector;
    v->bytes_per_sector = dev_sector;      /* until the BPB says */
    v->cached_fat_sector[0] = v->cached_fat_sector[1] = 0xffffffffu;
    v->sector_lba = ~0ull;
    if (!is_pow2(dev_sector) || dev_sector < 512 || dev_sector > FAT_MAX_SECTOR)
        return FAT_EINVAL;

    int rc = vol_read(v, 0, 1, v->sector);
    if (rc)
        return rc;

    const uint8_t *s = v->sector;
    struct fat_bpb bpb;
    memcpy(&bpb, s, sizeof bpb);
    struct fat32_ext x32;
    memcpy(&x32, s + sizeof bpb, sizeof x32);

    /* A FAT boot sector starts with a jump: EB xx 90 or E9 xx xx. */
    if (!((bpb.jmp[0] == 0xeb && bpb.jmp[2] == 0x90) || bpb.jmp[0] == 0xe9))
        return FAT_ENOTFAT;
    if (s[510] != 0x55 || s[511] != 0xaa)
        return FAT_ENOTFAT;
    uint32_t bps = bpb.bytes_per_sector;
    if (!is_pow2(bps) || bps < dev_sector || bps > FAT_MAX_SECTOR)
        return FAT_ENOTFAT;
    if (!is_pow2(bpb.sectors_per_cluster))
        return FAT_ENOTFAT;
    if (bpb.reserved_sectors == 0 || bpb.num_fats == 0 || bpb.num_fats > 4)
        return FAT_ENOTFAT;

    uint32_t fat_size = bpb.fat_size16 ? bpb.fat_size16 : x32.fat_size32;
    uint32_t total = bpb.total_sectors16 ? bpb.total_sectors16 : bpb.total_sectors32;
    if (fat_size == 0 || total == 0)
        return FAT_ENOTFAT;
    uint32_t root_sectors = (uint32_t)(((uint64_t)bpb.root_entries * DIRENT + bps - 1) / bps);

    /* Metadata must fit inside the volume; 64-bit sums avoid wrap-around. */
    uint64_t meta = (uint64_t)bpb.reserved_sectors + (uint64_t)bpb.num_fats * fat_size + root_sectors;
    if (meta >= total)
        return FAT_ENOTFAT;
    uint32_t clusters = (total - (uint32_t)meta) / bpb.sectors_per_cluster;
    if (clusters == 0 || clusters > FAT32_MAX_CLUSTERS)
        return FAT_ENOTFAT;
    int type = fat_type_for_clusters(clusters);

    /* FAT32 has no fixed root and a 32-bit FAT size; FAT12/16 the opposite. */
    if (type == 32) {
        if (bpb.root_entries != 0 || bpb.fat_size16 != 0)
            return FAT_ENOTFAT;
        if (x32.root_cluster < 2 || x32.root_cluster > clusters + 1)
            return FAT_ENOTFAT;
    } else if (bpb.root_entries == 0) {
        return FAT_ENOTFAT;
    }
    if (fat_table_bytes(type, clusters) > (uint64_t)fat_size * bps)
        return FAT_ENOTFAT;            /* the FAT must cover every cluster */

    v->bytes_per_sector = bps;
    v->type = type;
    v->sectors_per_cluster = bpb.sectors_per_cluster;
    v->fat_lba = bpb.reserved_sectors;
    v->fat_sectors = fat_size;
    v->num_fats = bpb.num_fats;
    v->mirrored = 1;
    /* FAT32 may turn mirroring off: then only the FAT named in ext_flags
     * is kept up to date, and the others must not be trusted. */
    if (type == 32 && (x32.ext_flags & FAT32_NO_MIRROR)) {
        v->active_fat = x32.ext_flags & FAT32_ACTIVE_MASK;
        v->mirrored = 0;
        if (v->active_fat >= bpb.num_fats)
            return FAT_ENOTFAT;
    }
    v->root_lba = bpb.reserved_sectors + bpb.num_fats * fat_size;
    v->root_sectors = root_sectors;
    v->root_cluster = type == 32 ? x32.root_cluster : 0;
    v->data_lba = (uint32_t)meta;
    v->clusters = clusters;
    v->total_sectors = total;
    return FAT_OK;
}

/* ---- the FAT -------------------------------------------------------------- */

static uint32_t cluster_bytes(const struct fat_vol *v) { return v->sectors_per_cluster * v->bytes_per_sector; }

/* Byte `off` of FAT copy `copy`, through the cache. */
static int fat_byte(struct fat_vol *v, uint32_t copy, uint32_t off, uint8_t *out)
{
    uint32_t sec = off / v->bytes_per_sector;
    if (sec >= v->fat_sectors)
        return corrupt(v, "FAT entry beyond the FAT");
    uint32_t abs = v->fat_lba + copy * v->fat_sectors + sec, slot = copy != v->active_fat;
    if (v->cached_fat_sector[slot] != abs) {
        v->cached_fat_sector[slot] = 0xffffffffu;
        int rc = vol_read(v, abs, 1, v->fat_cache[slot]);
        if (rc)
            return rc;
        v->cached_fat_sector[slot] = abs;
    }
    *out = v->fat_cache[slot][off % v->bytes_per_sector];
    return FAT_OK;
}

/* Entry c of one FAT copy, classified. */
static int fat_entry(struct fat_vol *v, uint32_t copy, uint32_t c, uint32_t *val, enum fat_entry_kind *kind)
{
    uint8_t b[4];
    uint32_t off = fat_entry_offset(v->type, c), w = fat_entry_width(v->type);
    for (uint32_t i = 0; i < w; i++) {
        int rc = fat_byte(v, copy, off + i, &b[i]);
        if (rc)
            return rc;
    }
    *val = fat_entry_decode(v->type, c, b);
    *kind = fat_entry_kind(v->type, *val, v->clusters);
    return FAT_OK;
}

/* The cluster after `c`: a data cluster number, or CHAIN_END.
 *
 * The second FAT: the entry is read from the active FAT first. When its
 * sector cannot be read, or its value cannot continue a chain (free, bad,
 * reserved, beyond the volume), the same entry is read from the next copy
 * (when the copies are mirrors), and the first usable value wins. A chain
 * no copy can continue is corrupt; a read error is reported only when no
 * copy could be read at all. */
static int fat_next(struct fat_vol *v, uint32_t c, uint32_t *next)
{
    if (c < 2 || c > v->clusters + 1)
        return corrupt(v, "cluster number outside the volume");
    uint32_t copies = v->mirrored ? v->num_fats : 1;
    int err = FAT_OK;
    for (uint32_t k = 0; k < copies; k++) {
        uint32_t val;
        enum fat_entry_kind kind;
        int rc = fat_entry(v, (v->active_fat + k) % v->num_fats, c, &val, &kind);
        if (rc == FAT_OK && (kind == FAT_ENTRY_NEXT || kind == FAT_ENTRY_END)) {
            v->fallbacks += k != 0;
            *next = kind == FAT_ENTRY_END ? CHAIN_END : val;
            return FAT_OK;
        }
        if (rc == FAT_OK)
            rc = corrupt(v, kind == FAT_ENTRY_FREE ? "a free cluster inside a chain"
                          : kind == FAT_ENTRY_BAD ? "a bad cluster inside a chain"
                                                  : "a FAT entry points outside the volume");
        if (err != FAT_ECORRUPT)
            err = rc;                  /* corruption outranks a read error */
    }
    return err;
}

static uint64_t cluster_lba(const struct fat_vol *v, uint32_t c)
{
    return (uint64_t)v->data_lba + (uint64_t)(c - 2) * v->sectors_per_cluster;
}

uint32_t fat_dir_cluster_cap(const struct fat_vol *v)
{
    uint32_t cap = (uint32_t)((uint64_t)FAT_DIR_MAX_ENTRIES * DIRENT / cluster_bytes(v));
    if (cap == 0)
        cap = 1;
    return cap < v->clusters ? cap : v->clusters;
}

/* ---- directories ---------------------------------------------------------- */

/* v->sector holding logical sector `lba`, read if it does not already. */
static int load_sector(struct fat_vol *v, uint64_t lba)
{
    if (v->sector_lba == lba)
        return FAT_OK;
    v->sector_lba = ~0ull;
    int rc = vol_read(v, lba, 1, v->sector);
    if (rc == FAT_OK)
        v->sector_lba = lba;
    return rc;
}

void fat_dir_start(const struct fat_vol *v, struct fat_dir *d, uint32_t first_cluster)
{
    memset(d, 0, offsetof(struct fat_dir, lfn));
    if (first_cluster == ROOT_CLUSTER && v->type == 32)
        first_cluster = v->root_cluster;
    d->cluster = first_cluster;
    d->clusters_left = fat_dir_cluster_cap(v);
}

/* The next raw 32-byte entry into *e: 1, 0 at the end, or an error. */
static int dir_raw(struct fat_vol *v, struct fat_dir *d, struct fat_dirent *e)
{
    if (d->done)
        return 0;
    uint64_t lba;
    if (d->cluster == ROOT_CLUSTER) {
        if (d->sec >= v->root_sectors) {
            d->done = 1;
            return 0;
        }
        lba = (uint64_t)v->root_lba + d->sec;
    } else {
        if (d->cluster < 2 || d->cluster > v->clusters + 1)
            return corrupt(v, "directory cluster outside the volume");
        lba = cluster_lba(v, d->cluster) + d->sec;
    }
    int rc = load_sector(v, lba);
    if (rc)
        return rc;
    memcpy(e, v->sector + d->idx * DIRENT, DIRENT);

    if (++d->idx < v->bytes_per_sector / DIRENT)
        return 1;
    d->idx = 0;
    if (++d->sec < v->sectors_per_cluster || d->cluster == ROOT_CLUSTER)
        return 1;
    d->sec = 0;
    uint32_t next;
    rc = fat_next(v, d->cluster, &next);
    if (rc)
        return rc;
    if (next == CHAIN_END)
        d->done = 1;
    else if (--d->clusters_left == 0)
        return corrupt(v, "a directory longer than 65536 entries (a loop in its chain?)");
    else
        d->cluster = next;
    return 1;
}

/* Collects one long-name piece; pieces out of sequence drop the name. */
static void lfn_add(struct fat_dir *d, const struct fat_dirent *e)
{
    struct fat_lfn l;
    memcpy(&l, e, sizeof l);
    uint8_t order = l.order & 0x1f;
    if (order == 0 || order > FAT_LFN_MAX_ENTRIES || (l.order & 0x80)) {
        d->lfn_active = 0;
        return;
    }
    if (l.order & FAT_LFN_LAST) {
        memset(d->lfn, 0, sizeof d->lfn);
        d->lfn_active = 1;
        d->lfn_sum = l.checksum;
        d->lfn_next = order;
    } else if (!d->lfn_active || order != d->lfn_next || l.checksum != d->lfn_sum) {
        d->lfn_active = 0;
        return;
    }
    fat_lfn_unpack(&l, &d->lfn[(order - 1) * FAT_LFN_CHARS]);
    d->lfn_next = (uint8_t)(order - 1);
}

/* Length of a completed long name that belongs to this short entry, or 0. */
static int lfn_take(struct fat_dir *d, const struct fat_dirent *e)
{
    int ok = d->lfn_active && d->lfn_next == 0 && d->lfn_sum == fat_lfn_checksum(e->name);
    d->lfn_active = 0;
    if (!ok)
        return 0;
    int n = 0;
    while (n < LFN_MAX_UNITS && d->lfn[n] != 0)
        n++;
    return n > FAT_NAME_MAX ? 0 : n;
}

int fat_dir_next(struct fat_vol *v, struct fat_dir *d, struct fat_dirent *e, int *lfn_len)
{
    int rc;
    while ((rc = dir_raw(v, d, e)) == 1) {
        uint8_t first = (uint8_t)e->name[0];
        if (first == 0x00) {
            d->done = 1;               /* end of directory */
            return 0;
        }
        if (first == 0xe5) {
            d->lfn_active = 0;
            continue;
        }
        if ((e->attr & 0x3f) == FAT_ATTR_LFN) {
            lfn_add(d, e);
            continue;
        }
        if (e->attr & FAT_ATTR_VOLUME_ID) {
            d->lfn_active = 0;
            continue;
        }
        *lfn_len = lfn_take(d, e);
        return 1;
    }
    return rc;
}

void fat_dir_name(const struct fat_dir *d, const struct fat_dirent *e, int lfn_len, char *out)
{
    if (lfn_len)
        utf16_to_utf8(d->lfn, (size_t)lfn_len, out, FAT_NAME_TEXT_MAX);
    else
        fat_short_to_text(e->name, e->nt_reserved, out);
}

void fat_dir_file(const struct fat_vol *v, const struct fat_dirent *e, struct fat_file *f)
{
    f->first_cluster = e->cluster_lo;
    if (v->type == 32)
        f->first_cluster |= (uint32_t)e->cluster_hi << 16;
    f->size = (e->attr & FAT_ATTR_DIRECTORY) ? 0 : e->size;
    f->attr = e->attr;
}

/* ---- lookup --------------------------------------------------------------- */

static int lfn_equals(const uint16_t *a, int alen, const uint16_t *b, int blen)
{
    if (alen != blen)
        return 0;
    for (int k = 0; k < alen; k++)
        if (fat_fold(a[k]) != fat_fold(b[k]))
            return 0;
    return 1;
}

/* A found entry the rest of the driver can trust: a directory that is the
 * root or inside the volume, a file whose clusters could exist. */
static int check_entry(struct fat_vol *v, struct fat_file *f)
{
    if (f->attr & FAT_ATTR_DIRECTORY) {
        /* ".." of a first-level directory says cluster 0: the root. */
        if (f->first_cluster == 0 || (v->type == 32 && f->first_cluster == v->root_cluster))
            f->first_cluster = ROOT_CLUSTER;
        else if (f->first_cluster < 2 || f->first_cluster > v->clusters + 1)
            return corrupt(v, "directory entry points outside the volume");
        return FAT_OK;
    }
    if ((uint64_t)f->size > (uint64_t)v->clusters * cluster_bytes(v))
        return corrupt(v, "file size larger than the volume's data area");
    if (f->size && (f->first_cluster < 2 || f->first_cluster > v->clusters + 1))
        return corrupt(v, "file's first cluster outside the volume");
    return FAT_OK;
}

/* Looks `name` (len bytes) up in the directory at *f and replaces *f with
 * what it names. */
static int lookup(struct fat_vol *v, struct fat_file *f, const char *name, int len)
{
    /* Not UTF-8 (or too long): only an 8.3 name can match it. */
    uint16_t u[FAT_NAME_MAX];
    int ulen = len <= 4 * FAT_NAME_MAX ? utf8_to_utf16(name, (size_t)len, u, FAT_NAME_MAX) : -1;
    struct fat_dir d;
    struct fat_dirent e;
    int lfn_len, rc;
    fat_dir_start(v, &d, f->first_cluster);
    while ((rc = fat_dir_next(v, &d, &e, &lfn_len)) == 1) {
        char sn[13];
        int sn_len = fat_short_to_text(e.name, e.nt_reserved, sn);
        if ((lfn_len && ulen > 0 && lfn_equals(d.lfn, lfn_len, u, ulen)) ||
            fat_name_iequal(sn, (size_t)sn_len, name, (size_t)len)) {
            fat_dir_file(v, &e, f);
            return check_entry(v, f);
        }
    }
    return rc ? rc : FAT_ENOENT;
}

int fat_open(struct fat_vol *v, const char *path, struct fat_file *f)
{
    /* Start at the root: a directory whose first cluster is ROOT_CLUSTER. */
    f->first_cluster = ROOT_CLUSTER;
    f->size = 0;
    f->attr = FAT_ATTR_DIRECTORY;
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (!*p)
            return FAT_OK;
        const char *end = p;
        while (*end && *end != '/')
            end++;
        if (!(f->attr & FAT_ATTR_DIRECTORY))
            return FAT_ENOTDIR;
        int rc = lookup(v, f, p, (int)(end - p));
        if (rc)
            return rc;
        p = end;
    }
}

/* ---- reading -------------------------------------------------------------- */

/* One pass over the chain (see fat_next for which FAT copy answers). */
static int read_chain(struct fat_vol *v, const struct fat_file *f, uint8_t *out, uint32_t len, uint32_t max_run)
{
    uint32_t cb = cluster_bytes(v), bps = v->bytes_per_sector;
    uint32_t left = len;
    uint32_t cur = f->first_cluster;
    while (left) {
        if (cur < 2 || cur > v->clusters + 1)
            return corrupt(v, "cluster number outside the volume");
        /* Extend the run while the chain stays contiguous and more is needed. */
        uint32_t run = 1, next = CHAIN_END;
        for (;;) {
            uint64_t covered = (uint64_t)run * cb;
            int rc = fat_next(v, cur + run - 1, &next);
            if (rc)
                return rc;
            if (covered >= left || next != cur + run)
                break;
            run++;
        }
        uint32_t bytes = (uint64_t)run * cb < left ? run * cb : left;
        uint32_t whole = bytes / bps, tail = bytes % bps;
        uint64_t lba = cluster_lba(v, cur);
        while (whole) {
            uint32_t n = (max_run && whole > max_run) ? max_run : whole;
            int rc = vol_read(v, lba, n, out);
            if (rc)
                return rc;
            lba += n;
            out += (uint64_t)n * bps;
            whole -= n;
        }
        if (tail) {
            int rc = load_sector(v, lba);
            if (rc)
                return rc;
            memcpy(out, v->sector, tail);
            out += tail;
        }
        left -= bytes;
        if (left && next == CHAIN_END)
            return corrupt(v, "cluster chain shorter than the file size");
        /* A whole file's chain must end right after its last cluster: one
         * that goes on is a size mismatch or a loop (a loop never ends). */
        if (!left && len == f->size && next != CHAIN_END)
            return corrupt(v, "cluster chain longer than the file size");
        cur = next;
    }
    return FAT_OK;
}

/* FAT_OK when the chain from `c` has `need` clusters, read through the
 * active copy (with fat_next's per-entry fallback). */
static int chain_reaches(struct fat_vol *v, uint32_t c, uint32_t need)
{
    for (uint32_t n = 1;; n++) {
        if (c < 2 || c > v->clusters + 1)
            return corrupt(v, "cluster number outside the volume");
        if (n >= need)
            return FAT_OK;
        uint32_t next;
        int rc = fat_next(v, c, &next);
        if (rc)
            return rc;
        if (next == CHAIN_END)
            return corrupt(v, "cluster chain shorter than the file size");
        c = next;
    }
}

int fat_check_chain(struct fat_vol *v, const struct fat_file *f)
{
    if (f->attr & FAT_ATTR_DIRECTORY)
        return FAT_EISDIR;
    if (f->size == 0)
        return FAT_OK;
    uint32_t need = (f->size - 1) / cluster_bytes(v) + 1;
    if (need > v->clusters)
        return corrupt(v, "file size larger than the volume's data area");
    /* every copy in turn, as fat_read_file does; fallbacks are counted
     * by the read, not by this look ahead */
    uint32_t active = v->active_fat, fallbacks = v->fallbacks;
    int rc = chain_reaches(v, f->first_cluster, need);
    for (uint32_t k = 1; rc == FAT_ECORRUPT && v->mirrored && k < v->num_fats; k++) {
        v->active_fat = (active + k) % v->num_fats;
        rc = chain_reaches(v, f->first_cluster, need);
    }
    v->active_fat = active;
    v->fallbacks = fallbacks;
    return rc;
}

int fat_read_file(struct fat_vol *v, const struct fat_file *f, void *dst, uint32_t len,
                  uint32_t max_run)
{
    if (f->attr & FAT_ATTR_DIRECTORY)
        return FAT_EISDIR;
    if (len > f->size)
        return FAT_EINVAL;
    if (len == 0)
        return FAT_OK;
    /* A file cannot have more clusters than the volume: a size that says
     * otherwise is corruption, and this bound also ends any chain loop. */
    if ((len - 1) / cluster_bytes(v) + 1 > v->clusters)
        return corrupt(v, "file size larger than the volume's data area");

    int rc = read_chain(v, f, dst, len, max_run);
    /* Every entry on the chain was valid in some copy, yet the chain does
     * not fit the file: the active FAT may hold a stale chain that its
     * mirror does not. Follow the next copy first, once each. */
    uint32_t active = v->active_fat;
    for (uint32_t k = 1; rc == FAT_ECORRUPT && v->mirrored && k < v->num_fats; k++) {
        v->active_fat = (active + k) % v->num_fats;
        rc = read_chain(v, f, dst, len, max_run);
        v->fallbacks += rc == FAT_OK;
    }
    v->active_fat = active;
    return rc;
}

/* ---- listing -------------------------------------------------------------- */

int fat_list_dir(struct fat_vol *v, uint32_t first_cluster, fat_dir_fn fn, void *ctx)
{
    struct fat_dir d;
    struct fat_dirent e;
    char name[FAT_NAME_TEXT_MAX];
    int lfn_len, rc;
    fat_dir_start(v, &d, first_cluster);
    while ((rc = fat_dir_next(v, &d, &e, &lfn_len)) == 1) {
        fat_dir_name(&d, &e, lfn_len, name);
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;                  /* "." and ".." */
        struct fat_file f;
        fat_dir_file(v, &e, &f);
        if ((rc = fn(ctx, name, &f)))
            return rc;
    }
    return rc;
}

int fat_list(struct fat_vol *v, const char *path, fat_dir_fn fn, void *ctx)
{
    struct fat_file dir;
    int rc = fat_open(v, path, &dir);
    if (rc)
        return rc;
    if (!(dir.attr & FAT_ATTR_DIRECTORY))
        return FAT_ENOTDIR;
    return fat_list_dir(v, dir.first_cluster, fn, ctx);
}

/* A small read-only FAT12/16/32 driver (Microsoft FAT specification).
 *
 * It runs in two places: the 32-bit BIOS stage2 (no libc, a small stack,
 * no 64-bit division helpers from libgcc) and the host (mkimage --inspect,
 * fatcat, unit tests). So: only mem.h routines, locals kept small, no
 * recursion, and every division is 32-bit.
 *
 * All disk access goes through v->read (absolute 512-byte LBAs). Files are
 * read with one read() per run of contiguous clusters straight into the
 * caller's buffer; only a partial last sector goes through v->sector. */
#include "fat.h"
#include "mem.h"

uint8_t fat_lfn_checksum(const char short_name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + (uint8_t)short_name[i]);
    return sum;
}

#define SECTOR 512u
#define DIRENTS_PER_SECTOR (SECTOR / sizeof(struct fat_dirent))
/* The spec caps a directory at 65536 entries (2 MiB); a directory chain
 * longer than that is a loop or corruption. */
#define DIR_MAX_BYTES (65536u * 32u)
#define LFN_MAX_ENTRIES 20                  /* 20 * 13 >= 255 */
#define LFN_MAX_UNITS (LFN_MAX_ENTRIES * FAT_LFN_CHARS)
/* "Directory entry with first cluster 0" means the root directory (the
 * ".." of a first-level directory); we use the same convention internally. */
#define ROOT_CLUSTER 0

const char *fat_strerror(int err)
{
    switch (err) {
    case FAT_OK:       return "ok";
    case FAT_EIO:      return "disk read failed";
    case FAT_ENOTFAT:  return "not a FAT volume";
    case FAT_ENOENT:   return "file not found";
    case FAT_ENOTDIR:  return "not a directory";
    case FAT_ECORRUPT: return "corrupt FAT (bad cluster chain)";
    case FAT_EISDIR:   return "is a directory";
    case FAT_EINVAL:   return "invalid argument";
    default:           return "unknown FAT error";
    }
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static int disk_read(struct fat_vol *v, uint64_t rel_lba, uint32_t count, void *buf)
{
    uint64_t lba = v->part_lba + rel_lba;
    int rc = v->read(v->ctx, lba, count, buf);
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
    memset(v, 0, sizeof *v);
    v->read = read;
    v->ctx = ctx;
    v->part_lba = part_lba;
    v->cached_fat_sector = 0xffffffffu;

    int rc = disk_read(v, 0, 1, v->sector);
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
    if (bpb.bytes_per_sector != SECTOR)
        return FAT_ENOTFAT;
    if (!is_pow2(bpb.sectors_per_cluster))
        return FAT_ENOTFAT;
    if (bpb.reserved_sectors == 0 || bpb.num_fats == 0 || bpb.num_fats > 4)
        return FAT_ENOTFAT;

    uint32_t fat_size = bpb.fat_size16 ? bpb.fat_size16 : x32.fat_size32;
    uint32_t total = bpb.total_sectors16 ? bpb.total_sectors16 : bpb.total_sectors32;
    if (fat_size == 0 || total == 0)
        return FAT_ENOTFAT;
    uint32_t root_sectors = ((uint32_t)bpb.root_entries * 32 + SECTOR - 1) / SECTOR;

    /* Metadata must fit inside the volume; 64-bit sums avoid wrap-around. */
    uint64_t meta = (uint64_t)bpb.reserved_sectors + (uint64_t)bpb.num_fats * fat_size + root_sectors;
    if (meta >= total)
        return FAT_ENOTFAT;
    uint32_t data_sectors = total - (uint32_t)meta;
    uint32_t clusters = data_sectors / bpb.sectors_per_cluster;
    if (clusters == 0)
        return FAT_ENOTFAT;

    /* The type follows from the cluster count alone (the spec's rule);
     * the fs_type string is only a label. */
    int type = clusters <= FAT12_MAX_CLUSTERS ? 12 : clusters <= FAT16_MAX_CLUSTERS ? 16 : 32;

    /* FAT32 has no fixed root and a 32-bit FAT size; FAT12/16 the opposite. */
    if (type == 32) {
        if (bpb.root_entries != 0 || bpb.fat_size16 != 0)
            return FAT_ENOTFAT;
        if (x32.root_cluster < 2 || x32.root_cluster > clusters + 1)
            return FAT_ENOTFAT;
    } else if (bpb.root_entries == 0) {
        return FAT_ENOTFAT;
    }

    /* The FAT must have an entry for every cluster (plus the two reserved). */
    uint64_t fat_bytes_needed = type == 12 ? ((uint64_t)clusters + 2) * 3 / 2 + 1
                              : ((uint64_t)clusters + 2) * (uint32_t)(type / 8);
    if (fat_bytes_needed > (uint64_t)fat_size * SECTOR)
        return FAT_ENOTFAT;

    v->type = type;
    v->sectors_per_cluster = bpb.sectors_per_cluster;
    v->fat_lba = bpb.reserved_sectors;
    /* FAT32 may disable mirroring (ext_flags bit 7): then bits 0-3 name the
     * one active FAT, which is the only one kept up to date. */
    if (type == 32 && (x32.ext_flags & 0x80)) {
        uint32_t active = x32.ext_flags & 0x0f;
        if (active >= bpb.num_fats)
            return FAT_ENOTFAT;
        v->fat_lba += active * fat_size;
    }
    v->fat_sectors = fat_size;
    v->root_lba = bpb.reserved_sectors + bpb.num_fats * fat_size;
    v->root_sectors = root_sectors;
    v->root_cluster = type == 32 ? x32.root_cluster : 0;
    v->data_lba = (uint32_t)meta;
    v->clusters = clusters;
    v->total_sectors = total;
    return FAT_OK;
}

/* ---- the FAT -------------------------------------------------------------- */

static int fat_byte(struct fat_vol *v, uint32_t offset, uint8_t *out)
{
    uint32_t sec = offset / SECTOR;
    if (sec >= v->fat_sectors)
        return FAT_ECORRUPT;
    if (v->cached_fat_sector != sec) {
        v->cached_fat_sector = 0xffffffffu;
        int rc = disk_read(v, (uint64_t)v->fat_lba + sec, 1, v->fat_cache);
        if (rc)
            return rc;
        v->cached_fat_sector = sec;
    }
    *out = v->fat_cache[offset % SECTOR];
    return FAT_OK;
}

#define CHAIN_END 0xffffffffu

/* The cluster after `c`: a data cluster number, or CHAIN_END. Free,
 * reserved, bad or out-of-range values are corruption. */
static int fat_next(struct fat_vol *v, uint32_t c, uint32_t *next)
{
    if (c < 2 || c > v->clusters + 1)
        return FAT_ECORRUPT;
    uint32_t val, eoc;
    uint8_t b[4];
    int rc;
    if (v->type == 12) {
        uint32_t off = c + c / 2;      /* 1.5 bytes per entry, may straddle sectors */
        if ((rc = fat_byte(v, off, &b[0])) || (rc = fat_byte(v, off + 1, &b[1])))
            return rc;
        val = le16(b);
        val = (c & 1) ? val >> 4 : val & 0xfff;
        eoc = 0xff8;
    } else if (v->type == 16) {
        uint32_t off = c * 2;          /* never straddles: 512 is a multiple of 2 */
        for (uint32_t i = 0; i < 2; i++)
            if ((rc = fat_byte(v, off + i, &b[i])))
                return rc;
        val = le16(b);
        eoc = 0xfff8;
    } else {
        uint32_t off = c * 4;
        for (uint32_t i = 0; i < 4; i++)
            if ((rc = fat_byte(v, off + i, &b[i])))
                return rc;
        val = ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24)
              & 0x0fffffffu;
        eoc = 0x0ffffff8u;
    }
    if (val >= eoc) {
        *next = CHAIN_END;
        return FAT_OK;
    }
    if (val < 2 || val > v->clusters + 1)
        return FAT_ECORRUPT;           /* free, bad (…F7) or beyond the volume */
    *next = val;
    return FAT_OK;
}

static uint64_t cluster_lba(const struct fat_vol *v, uint32_t c)
{
    return (uint64_t)v->data_lba + (uint64_t)(c - 2) * v->sectors_per_cluster;
}

/* ---- directories ---------------------------------------------------------- */

/* Walks the 32-byte entries of one directory, sector by sector through
 * v->sector: the fixed root of FAT12/16, or a cluster chain. */
struct dir_iter {
    uint32_t cluster;      /* current cluster, ROOT_CLUSTER for the fixed root */
    uint32_t sec;          /* sector within the cluster or the fixed root */
    uint32_t idx;          /* next entry within the sector */
    uint32_t clusters_left;/* loop guard for chained directories */
    uint8_t  loaded;       /* v->sector holds (cluster, sec) */
    uint8_t  done;
};

static void dir_start(const struct fat_vol *v, struct dir_iter *it, uint32_t first_cluster)
{
    memset(it, 0, sizeof *it);
    if (first_cluster == ROOT_CLUSTER && v->type == 32)
        first_cluster = v->root_cluster;
    it->cluster = first_cluster;
    uint32_t cluster_bytes = v->sectors_per_cluster * SECTOR;
    uint32_t cap = DIR_MAX_BYTES / cluster_bytes;
    if (cap == 0)
        cap = 1;
    it->clusters_left = cap < v->clusters ? cap : v->clusters;
}

/* Sets *e to the next raw entry; returns 1, 0 at the end, or an error. */
static int dir_next(struct fat_vol *v, struct dir_iter *it, const struct fat_dirent **e)
{
    if (it->done)
        return 0;
    if (!it->loaded) {
        uint64_t lba;
        if (it->cluster == ROOT_CLUSTER) {
            if (it->sec >= v->root_sectors) {
                it->done = 1;
                return 0;
            }
            lba = (uint64_t)v->root_lba + it->sec;
        } else {
            lba = cluster_lba(v, it->cluster) + it->sec;
        }
        int rc = disk_read(v, lba, 1, v->sector);
        if (rc)
            return rc;
        it->loaded = 1;
    }
    *e = (const struct fat_dirent *)(v->sector + it->idx * sizeof(struct fat_dirent));

    /* Advance now; *e stays valid until the next call reloads v->sector. */
    if (++it->idx == DIRENTS_PER_SECTOR) {
        it->idx = 0;
        it->loaded = 0;
        if (++it->sec == v->sectors_per_cluster && it->cluster != ROOT_CLUSTER) {
            it->sec = 0;
            uint32_t next;
            int rc = fat_next(v, it->cluster, &next);
            if (rc)
                return rc;
            if (next == CHAIN_END)
                it->done = 1;
            else if (--it->clusters_left == 0)
                return FAT_ECORRUPT;   /* longer than any directory can be: a loop */
            else
                it->cluster = next;
        }
    }
    return 1;
}

/* Long-name pieces collected from LFN entries until their short entry. */
struct lfn_acc {
    uint16_t u[LFN_MAX_UNITS];
    uint8_t  checksum;
    uint8_t  next_order;   /* order the next LFN entry must have; 0 = complete */
    uint8_t  active;
};

static void lfn_add(struct lfn_acc *a, const struct fat_dirent *e)
{
    struct fat_lfn l;
    memcpy(&l, e, sizeof l);
    uint8_t order = l.order & 0x1f;
    if (order == 0 || order > LFN_MAX_ENTRIES || (l.order & 0x80)) {
        a->active = 0;
        return;
    }
    if (l.order & FAT_LFN_LAST) {
        for (int i = 0; i < LFN_MAX_UNITS; i++)
            a->u[i] = 0;
        a->active = 1;
        a->checksum = l.checksum;
        a->next_order = order;
    } else if (!a->active || order != a->next_order || l.checksum != a->checksum) {
        a->active = 0;          /* out of sequence: ignore the whole name */
        return;
    }
    uint16_t *dst = &a->u[(order - 1) * FAT_LFN_CHARS];
    memcpy(dst, l.name1, sizeof l.name1);
    memcpy(dst + 5, l.name2, sizeof l.name2);
    memcpy(dst + 11, l.name3, sizeof l.name3);
    a->next_order = (uint8_t)(order - 1);
}

/* Length of a completed long name that belongs to this short entry, or 0. */
static int lfn_take(struct lfn_acc *a, const struct fat_dirent *e)
{
    int ok = a->active && a->next_order == 0 && a->checksum == fat_lfn_checksum(e->name);
    a->active = 0;
    if (!ok)
        return 0;
    int n = 0;
    while (n < LFN_MAX_UNITS && a->u[n] != 0)
        n++;
    return n > FAT_NAME_MAX ? 0 : n;
}

/* "NAME.EXT" from the space-padded 11 bytes; lower-cases the parts the
 * NT flags (bits 3, 4 of nt_reserved) say were stored lower case. */
static int short_name(const struct fat_dirent *e, char out[13])
{
    int n = 0, base_lower = e->nt_reserved & 0x08, ext_lower = e->nt_reserved & 0x10;
    for (int i = 0; i < 8 && e->name[i] != ' '; i++) {
        char c = e->name[i];
        if (i == 0 && (uint8_t)c == 0x05)
            c = (char)0xe5;        /* 0x05 stands for a real leading 0xE5 */
        out[n++] = (base_lower && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    if (e->name[8] != ' ') {
        out[n++] = '.';
        for (int i = 8; i < 11 && e->name[i] != ' '; i++) {
            char c = e->name[i];
            out[n++] = (ext_lower && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
    }
    out[n] = 0;
    return n;
}

static uint32_t fold(uint32_t c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

/* Decodes one UTF-8 sequence from s[*i..len); returns the code point or
 * 0xffffffff when malformed. */
static uint32_t utf8_next(const char *s, int len, int *i)
{
    uint8_t b = (uint8_t)s[(*i)++];
    if (b < 0x80)
        return b;
    int extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (extra < 0 || b >= 0xf8)
        return 0xffffffffu;
    uint32_t cp = b & (0x3f >> extra);
    while (extra--) {
        if (*i >= len || ((uint8_t)s[*i] & 0xc0) != 0x80)
            return 0xffffffffu;
        cp = cp << 6 | ((uint8_t)s[(*i)++] & 0x3f);
    }
    return cp;
}

/* Long name (UTF-16) against a path component (UTF-8), ASCII case-folded. */
static int lfn_equals(const uint16_t *u, int ulen, const char *s, int slen)
{
    int i = 0, k = 0;
    while (i < slen) {
        uint32_t cp = utf8_next(s, slen, &i);
        if (cp == 0xffffffffu)
            return 0;
        if (cp >= 0x10000) {           /* a surrogate pair in UTF-16 */
            cp -= 0x10000;
            if (k + 2 > ulen || u[k] != 0xd800 + (cp >> 10) || u[k + 1] != 0xdc00 + (cp & 0x3ff))
                return 0;
            k += 2;
        } else {
            if (k >= ulen || fold(u[k]) != fold(cp))
                return 0;
            k++;
        }
    }
    return k == ulen;
}

static int ascii_iequal(const char *a, int alen, const char *b, int blen)
{
    if (alen != blen)
        return 0;
    for (int i = 0; i < alen; i++)
        if (fold((uint8_t)a[i]) != fold((uint8_t)b[i]))
            return 0;
    return 1;
}

/* UTF-16 long name to NUL-terminated UTF-8, cut at a character boundary
 * if it does not fit in FAT_NAME_MAX bytes. */
static void lfn_to_utf8(const uint16_t *u, int ulen, char out[FAT_NAME_MAX + 1])
{
    int o = 0;
    for (int k = 0; k < ulen; k++) {
        uint32_t cp = u[k];
        if (cp >= 0xd800 && cp < 0xdc00 && k + 1 < ulen && u[k + 1] >= 0xdc00 && u[k + 1] < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (u[k + 1] - 0xdc00);
            k++;
        } else if (cp >= 0xd800 && cp < 0xe000) {
            cp = '?';                  /* an unpaired surrogate */
        }
        int need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (o + need > FAT_NAME_MAX)
            break;
        if (need == 1) {
            out[o++] = (char)cp;
        } else {
            int shift = 6 * (need - 1);
            out[o++] = (char)((0xf0 << (4 - need)) | (cp >> shift));
            while (shift) {
                shift -= 6;
                out[o++] = (char)(0x80 | ((cp >> shift) & 0x3f));
            }
        }
    }
    out[o] = 0;
}

static uint32_t entry_cluster(const struct fat_vol *v, const struct fat_dirent *e)
{
    uint32_t c = e->cluster_lo;
    if (v->type == 32)
        c |= (uint32_t)e->cluster_hi << 16;
    return c;
}

static void entry_file(const struct fat_vol *v, const struct fat_dirent *e, struct fat_file *f)
{
    f->first_cluster = entry_cluster(v, e);
    f->size = (e->attr & FAT_ATTR_DIRECTORY) ? 0 : e->size;
    f->attr = e->attr;
}

/* What each visible entry of a directory scan is handed to. Returns 0 to go
 * on, anything else to stop the scan with that value. */
typedef int (*scan_fn)(void *ctx, const struct fat_dirent *e, const struct lfn_acc *a, int lfn_len);

/* Calls fn for every file and directory entry (not deleted entries, volume
 * labels or LFN pieces), with the long name when one belongs to it. */
static int dir_scan(struct fat_vol *v, uint32_t dir_cluster, struct lfn_acc *a, scan_fn fn, void *ctx)
{
    struct dir_iter it;
    const struct fat_dirent *e = 0;
    int rc;
    dir_start(v, &it, dir_cluster);
    a->active = 0;
    while ((rc = dir_next(v, &it, &e)) == 1) {
        uint8_t first = (uint8_t)e->name[0];
        if (first == 0x00)
            return 0;                  /* end of directory */
        if (first == 0xe5) {
            a->active = 0;
            continue;
        }
        if ((e->attr & 0x3f) == FAT_ATTR_LFN) {
            lfn_add(a, e);
            continue;
        }
        if (e->attr & FAT_ATTR_VOLUME_ID) {
            a->active = 0;
            continue;
        }
        int len = lfn_take(a, e);
        rc = fn(ctx, e, a, len);
        if (rc)
            return rc;
        it.loaded = 0;                 /* fn may have used v->sector */
    }
    return rc;
}

/* ---- lookup --------------------------------------------------------------- */

struct find_ctx {
    struct fat_vol  *v;
    const char      *name;
    int              len;
    struct fat_file *out;
};

static int find_cb(void *ctx, const struct fat_dirent *e, const struct lfn_acc *a, int lfn_len)
{
    struct find_ctx *fc = ctx;
    char sn[13];
    int sn_len = short_name(e, sn);
    if ((lfn_len && lfn_equals(a->u, lfn_len, fc->name, fc->len)) ||
        ascii_iequal(sn, sn_len, fc->name, fc->len)) {
        entry_file(fc->v, e, fc->out);
        return 1;
    }
    return 0;
}

int fat_open(struct fat_vol *v, const char *path, struct fat_file *f)
{
    /* Start at the root: a directory whose first cluster is ROOT_CLUSTER. */
    f->first_cluster = ROOT_CLUSTER;
    f->size = 0;
    f->attr = FAT_ATTR_DIRECTORY;

    struct lfn_acc acc;
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
        uint32_t dir = f->first_cluster;
        struct fat_file found;
        struct find_ctx fc = { v, p, (int)(end - p), &found };
        if (fc.len > FAT_NAME_MAX)
            return FAT_ENOENT;
        int rc = dir_scan(v, dir, &acc, find_cb, &fc);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return FAT_ENOENT;
        *f = found;
        if (f->attr & FAT_ATTR_DIRECTORY) {
            /* ".." of a first-level directory says cluster 0: the root. */
            if (f->first_cluster == 0 || (v->type == 32 && f->first_cluster == v->root_cluster))
                f->first_cluster = ROOT_CLUSTER;
            else if (f->first_cluster < 2 || f->first_cluster > v->clusters + 1)
                return FAT_ECORRUPT;
        }
        p = end;
    }
}

/* ---- reading -------------------------------------------------------------- */

int fat_read_file(struct fat_vol *v, const struct fat_file *f, void *dst, uint32_t len,
                  uint32_t max_run)
{
    if (f->attr & FAT_ATTR_DIRECTORY)
        return FAT_EISDIR;
    if (len > f->size)
        return FAT_EINVAL;
    if (len == 0)
        return FAT_OK;

    uint32_t cluster_bytes = v->sectors_per_cluster * SECTOR;
    /* A file cannot have more clusters than the volume: a size that says
     * otherwise is corruption, and this bound also ends any chain loop. */
    if ((len - 1) / cluster_bytes + 1 > v->clusters)
        return FAT_ECORRUPT;

    uint8_t *out = dst;
    uint32_t left = len;
    uint32_t cur = f->first_cluster;
    while (left) {
        if (cur < 2 || cur > v->clusters + 1)
            return FAT_ECORRUPT;
        /* Extend the run while the chain stays contiguous and more is needed. */
        uint32_t run = 1, next = CHAIN_END;
        for (;;) {
            uint64_t covered = (uint64_t)run * cluster_bytes;
            int rc = fat_next(v, cur + run - 1, &next);
            if (rc)
                return rc;
            if (covered >= left || next != cur + run)
                break;
            run++;
        }
        uint32_t bytes = (uint64_t)run * cluster_bytes < left ? run * cluster_bytes : left;
        uint32_t whole = bytes / SECTOR, tail = bytes % SECTOR;
        uint64_t lba = cluster_lba(v, cur);
        while (whole) {
            uint32_t n = (max_run && whole > max_run) ? max_run : whole;
            int rc = disk_read(v, lba, n, out);
            if (rc)
                return rc;
            lba += n;
            out += n * SECTOR;
            whole -= n;
        }
        if (tail) {
            int rc = disk_read(v, lba, 1, v->sector);
            if (rc)
                return rc;
            memcpy(out, v->sector, tail);
            out += tail;
        }
        left -= bytes;
        if (left && next == CHAIN_END)
            return FAT_ECORRUPT;       /* chain shorter than the size says */
        /* A whole file's chain must end right after its last cluster: one
         * that goes on is a size mismatch or a loop (a loop never ends). */
        if (!left && len == f->size && next != CHAIN_END)
            return FAT_ECORRUPT;
        cur = next;
    }
    return FAT_OK;
}

/* ---- listing -------------------------------------------------------------- */

struct list_ctx {
    struct fat_vol *v;
    fat_dir_fn      fn;
    void           *ctx;
};

static int list_cb(void *ctx, const struct fat_dirent *e, const struct lfn_acc *a, int lfn_len)
{
    struct list_ctx *lc = ctx;
    char name[FAT_NAME_MAX + 1];
    if (lfn_len)
        lfn_to_utf8(a->u, lfn_len, name);
    else
        short_name(e, name);
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
        return 0;                      /* "." and ".." */
    struct fat_file f;
    entry_file(lc->v, e, &f);
    return lc->fn(lc->ctx, name, &f);
}

int fat_list(struct fat_vol *v, const char *path, fat_dir_fn fn, void *ctx)
{
    struct fat_file dir;
    int rc = fat_open(v, path, &dir);
    if (rc)
        return rc;
    if (!(dir.attr & FAT_ATTR_DIRECTORY))
        return FAT_ENOTDIR;
    struct lfn_acc acc;
    struct list_ctx lc = { v, fn, ctx };
    return dir_scan(v, dir.first_cluster, &acc, list_cb, &lc);
}

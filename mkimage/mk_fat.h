/* The FAT12/16/32 formatter and writer for the ESP: picks the FAT type
 * by cluster count (Microsoft FAT specification), builds a directory tree
 * with long names and unique 8.3 names, lays files out contiguously and
 * emits only the non-zero regions into an mk_image. */
#ifndef HYBOOT_MK_FAT_H
#define HYBOOT_MK_FAT_H

#include <stddef.h>
#include <stdint.h>
#include "fat.h"
#include "mk_image.h"
#include "strmap.h"

/* FAT12/16's fixed root: the BPB's 16-bit entry count, whole 512-byte
 * sectors of entries (65535 rounded down to a multiple of 16); with larger
 * sectors, whole sectors of those (mk_fat_root_max). */
#define MK_FAT_ROOT_MAX 65520u
static inline uint32_t mk_fat_root_max(uint32_t bps) { return 65535u / (bps / 32) * (bps / 32); }
/* The largest cluster the specification allows: 32 KiB. */
#define MK_FAT_CLUSTER_MAX 32768u

/* All counts in sectors of bps bytes (512 or 4096: the disk's logical
 * sector, which the FAT's own sector equals). */
struct mk_fat_geom {
    int      type;              /* 12, 16 or 32 */
    uint32_t bps;               /* bytes per sector */
    uint32_t total_sectors;
    uint32_t spc;               /* sectors per cluster */
    uint32_t reserved;          /* reserved sectors (boot sector, FSInfo, backup) */
    uint32_t num_fats;
    uint32_t fat_sectors;       /* per FAT */
    uint32_t root_entries;      /* FAT12/16 fixed root directory */
    uint32_t root_sectors;
    uint32_t data_start;        /* first sector of cluster 2, volume-relative */
    uint32_t clusters;          /* count of data clusters */
};

/* Geometry of a volume of `sectors` of bps bytes formatted as `type` with
 * `spc` sectors per cluster (root_entries for FAT12/16). Returns 0 when
 * the resulting cluster count is one the spec assigns to that type, -1
 * when not (g is still filled as far as it could be computed). */
int mk_fat_geometry(uint64_t sectors, uint32_t bps, int type, uint32_t spc, uint32_t root_entries,
                    struct mk_fat_geom *g);
/* Sectors per cluster the spec's tables recommend for this size and type
 * (the tables give cluster bytes by volume bytes; at least one sector),
 * or 0 when the tables say the type should not be used at this size. */
uint32_t mk_fat_recommended_spc(uint64_t sectors, uint32_t bps, int type);
/* Picks the geometry: want 0 = automatic (FAT32 when the cluster count
 * allows it, else FAT16, else FAT12), or 12/16/32 forced. Returns NULL, or
 * a reason (static buffer) why the forced type cannot be used. */
const char *mk_fat_choose(uint64_t sectors, uint32_t bps, int want, uint32_t root_entries, struct mk_fat_geom *g);

/* NULL, or why an ESP of esp_bytes formatted as FAT`type` may not work
 * with some firmware (a warning for mkimage, a note for --inspect). */
const char *mk_esp_size_quirk(uint64_t esp_bytes, int type);

/* ---- names ----------------------------------------------------------- */
/* The names of one folder's entries (fat_names.c). */
struct mk_fat_names {
    struct mk_strmap by_name;   /* fat_fold(long name) and fat_fold(8.3 text) -> entry */
    struct mk_strmap tails;     /* "len:basis" -> last ~N handed out */
};
/* The entry a name (long or 8.3, any case) already stands for, or NULL. */
void *mk_fat_names_find(const struct mk_fat_names *n, const char *name);
/* Records an entry under a name (its long name, later its 8.3 alias as
 * text). */
void mk_fat_names_add(struct mk_fat_names *n, const char *name, void *entry);
/* The 8.3 alias for long name `name` (checked with fat_long_name_check),
 * unique in the folder: the basis, with a "~N" tail when the basis lost
 * information or is taken (by another entry's long name or alias).
 * Returns 0 when the alias spells the long name exactly (no LFN entries
 * needed), 1 when LFN entries must carry the real name, -1 when no tail
 * is left. Does not record it (mk_fat_names_add). */
int mk_fat_alias(struct mk_fat_names *n, const char *name, const void *self, char out[11]);
void mk_fat_names_free(struct mk_fat_names *n);

/* ---- the volume -------------------------------------------------------- */
struct mk_fat_node {
    char    *name;              /* long name, UTF-8 */
    uint16_t uname[FAT_NAME_MAX];
    int      ulen;
    char     short_name[11];    /* the 8.3 alias, once mk_fat_plan has run */
    int      need_lfn;
    int      is_dir;
    const uint8_t *data;        /* file contents (not owned), or: */
    int      fd;                /* >= 0: the contents are this open file's */
    uint64_t size;
    struct mk_fat_node *parent, *first, *last, *next;
    struct mk_fat_names names;  /* folders: the children's names */
    uint32_t slots;             /* folders: 32-byte entries of the children */
    uint32_t cluster, nclusters;
};

struct mk_fat {
    struct mk_fat_node root;
    uint32_t sector_size;       /* bytes per sector (512 by mk_fat_init) */
    char     label[11];         /* space padded; all spaces: no label */
    uint32_t volume_id;
    uint16_t date, time;        /* FAT-encoded timestamp of every entry */
    struct mk_fat_geom g;
    uint32_t used_clusters;
    int      aliased;           /* 8.3 aliases assigned */
};

void mk_fat_init(struct mk_fat *fs);
void mk_fat_free(struct mk_fat *fs);
/* NULL or a reason; up to 11 characters valid in 8.3 names (and spaces),
 * stored upper-case. */
const char *mk_fat_set_label(struct mk_fat *fs, const char *label);
/* Timestamps from seconds since 1970 (UTC), clamped to FAT's 1980..2107. */
void mk_fat_set_time(struct mk_fat *fs, int64_t epoch);
/* Adds a file at absolute path "/a/b/c" (folders created): size bytes,
 * from the open file fd when fd >= 0 (copied when the image is written),
 * else from data (kept by reference). NULL or a reason (bad name, exists,
 * parent is a file, file of 4 GiB or more, a folder past FAT's 65536
 * entries). */
const char *mk_fat_add(struct mk_fat *fs, const char *path, const uint8_t *data, int fd, uint64_t size);

#define MK_FAT_OK      0
#define MK_FAT_ETYPE   1    /* the forced FAT type is impossible at this size */
#define MK_FAT_ENOSPC  2    /* the contents do not fit */
/* Chooses the geometry for a volume of `sectors` (of fs->sector_size
 * bytes) and checks the contents fit; on failure writes a reason into
 * why. */
int mk_fat_plan(struct mk_fat *fs, uint64_t sectors, int want_type, char *why, size_t whylen);
/* After mk_fat_plan: allocates clusters and emits the volume's non-zero
 * regions into img at byte offset part_lba * sector size. */
void mk_fat_emit(struct mk_fat *fs, uint64_t part_lba, struct mk_image *img);

#endif

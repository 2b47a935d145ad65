/* FAT12/16/32 on-disk structures (Microsoft FAT specification) and a small
 * read-only driver shared by stage2 (loads boot.cfg and the kernel) and
 * mkimage --inspect. The rules both this reader and the writer
 * (mkimage/fat*.c) follow are in fat_table.h (the FAT) and fat_name.h
 * (names); the bounded tree walk --inspect uses is in fat_walk.h. */
#ifndef HYBOOT_FAT_H
#define HYBOOT_FAT_H

#include <stddef.h>
#include <stdint.h>

#include "fat_name.h"
#include "fat_table.h"

struct __attribute__((packed)) fat_bpb {
    uint8_t  jmp[3];
    char     oem[8];
    uint16_t bytes_per_sector;
    uint8_t  sectors_per_cluster;
    uint16_t reserved_sectors;
    uint8_t  num_fats;
    uint16_t root_entries;      /* 0 on FAT32 */
    uint16_t total_sectors16;
    uint8_t  media;
    uint16_t fat_size16;        /* 0 on FAT32 */
    uint16_t sectors_per_track;
    uint16_t num_heads;
    uint32_t hidden_sectors;
    uint32_t total_sectors32;
};
_Static_assert(sizeof(struct fat_bpb) == 36, "fat_bpb");

/* What ends the extended BPB of every FAT type: at offset 36 on FAT12/16,
 * inside struct fat32_ext on FAT32. */
struct __attribute__((packed)) fat_ext_tail {
    uint8_t  drive_number;
    uint8_t  reserved1;
    uint8_t  boot_sig;          /* FAT_EXT_BOOT_SIG: the three fields below are valid */
    uint32_t volume_id;
    char     volume_label[11];
    char     fs_type[8];
};
_Static_assert(sizeof(struct fat_ext_tail) == 26, "fat_ext_tail");

struct __attribute__((packed)) fat32_ext {      /* at offset 36 on FAT32 */
    uint32_t fat_size32;
    uint16_t ext_flags;         /* FAT32_NO_MIRROR | active FAT */
    uint16_t fs_version;
    uint32_t root_cluster;
    uint16_t fs_info_sector;
    uint16_t backup_boot_sector;
    uint8_t  reserved[12];
    struct fat_ext_tail tail;
};
_Static_assert(sizeof(struct fat32_ext) == 54, "fat32_ext");

/* Where the tail is in a boot sector of each type. */
#define FAT_TAIL_OFFSET(type) (sizeof(struct fat_bpb) + ((type) == 32 ? offsetof(struct fat32_ext, tail) : 0))

struct __attribute__((packed)) fat_fsinfo {
    uint32_t lead_sig;          /* FAT_FSINFO_LEAD_SIG */
    uint8_t  reserved1[480];
    uint32_t struct_sig;        /* FAT_FSINFO_STRUCT_SIG */
    uint32_t free_count;
    uint32_t next_free;
    uint8_t  reserved2[12];
    uint32_t trail_sig;         /* FAT_FSINFO_TRAIL_SIG */
};
_Static_assert(sizeof(struct fat_fsinfo) == 512, "fat_fsinfo");

struct __attribute__((packed)) fat_dirent {
    char     name[11];          /* 8.3, space padded */
    uint8_t  attr;
    uint8_t  nt_reserved;       /* FAT_NT_LOWER_* */
    uint8_t  ctime_tenth;
    uint16_t ctime;
    uint16_t cdate;
    uint16_t adate;
    uint16_t cluster_hi;
    uint16_t mtime;
    uint16_t mdate;
    uint16_t cluster_lo;
    uint32_t size;
};
_Static_assert(sizeof(struct fat_dirent) == 32, "fat_dirent");

struct __attribute__((packed)) fat_lfn {
    uint8_t  order;             /* 1-based, 0x40 on the last (first stored) */
    uint16_t name1[5];
    uint8_t  attr;              /* FAT_ATTR_LFN */
    uint8_t  type;              /* 0 */
    uint8_t  checksum;          /* fat_lfn_checksum of the short name */
    uint16_t name2[6];
    uint16_t cluster;           /* 0 */
    uint16_t name3[2];
};
_Static_assert(sizeof(struct fat_lfn) == 32, "fat_lfn");

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN    0x02
#define FAT_ATTR_SYSTEM    0x04
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_ARCHIVE   0x20
#define FAT_ATTR_LFN       0x0f
#define FAT_LFN_LAST       0x40

/* The spec caps a directory at 65536 entries (2 MiB). */
#define FAT_DIR_MAX_ENTRIES 65536u

/* ---- read-only driver --------------------------------------------------- */

/* Reads `count` device sectors at absolute disk `lba` into buf. Returns 0
 * or a non-zero error code (e.g. a BIOS status) for messages. */
typedef int (*fat_read_fn)(void *ctx, uint64_t lba, uint32_t count, void *buf);

/* Largest logical sector the reader takes (BPB bytes_per_sector is
 * 512, 1024, 2048 or 4096). */
#define FAT_MAX_SECTOR 4096u

struct fat_vol {
    fat_read_fn read;
    void    *ctx;
    uint64_t part_lba;          /* first device sector of the volume on the disk */
    uint32_t dev_sector;        /* bytes per device sector (read()'s unit) */
    uint32_t bytes_per_sector;  /* the volume's logical sector (BPB) */
    int      type;              /* 12, 16 or 32 */
    uint32_t sectors_per_cluster;
    uint32_t fat_lba;           /* FAT #1, in logical sectors from the volume start */
    uint32_t fat_sectors;       /* per FAT */
    uint32_t num_fats;
    uint32_t active_fat;        /* the copy consulted first (0 unless FAT32 says) */
    int      mirrored;          /* the other copies hold the same FAT */
    uint32_t root_lba;          /* FAT12/16 fixed root directory, relative */
    uint32_t root_sectors;
    uint32_t root_cluster;      /* FAT32 */
    uint32_t data_lba;          /* relative: cluster 2 starts here */
    uint32_t clusters;          /* count of data clusters */
    uint64_t total_sectors;     /* logical sectors */
    uint64_t sector_lba;        /* logical sector held in v->sector, ~0 if none */
    /* one-sector cache of the FAT, one slot for the copy read first and
     * one for the others (so a fallback does not evict the first) */
    uint32_t cached_fat_sector[2];  /* 0xffffffff when empty; absolute in the volume */
    uint32_t fallbacks;         /* FAT entries taken from a copy other than the first */
    uint8_t  fat_cache[2][FAT_MAX_SECTOR];
    uint8_t  sector[FAT_MAX_SECTOR];   /* scratch for directory reads */
    int      last_error;        /* read() status of the last failure */
    uint64_t last_error_lba;
    const char *corrupt;        /* what FAT_ECORRUPT was about, for messages */
};

struct fat_file {
    uint32_t first_cluster;
    uint32_t size;
    uint8_t  attr;
};

#define FAT_OK          0
#define FAT_EIO        -1     /* read() failed: see vol->last_error(_lba) */
#define FAT_ENOTFAT    -2     /* boot sector is not a FAT volume we read */
#define FAT_ENOENT     -3     /* a path component does not exist */
#define FAT_ENOTDIR    -4
#define FAT_ECORRUPT   -5     /* see vol->corrupt: bad chain, loop, size beyond the volume */
#define FAT_EISDIR     -6
#define FAT_EINVAL     -7     /* caller error, e.g. len > f->size */

/* Reads and checks the boot sector at part_lba, on a disk of 512-byte
 * device sectors. */
int fat_mount(struct fat_vol *v, fat_read_fn read, void *ctx, uint64_t part_lba);
/* The same on a disk of dev_sector-byte sectors (512 .. 4096). */
int fat_mount_dev(struct fat_vol *v, fat_read_fn read, void *ctx, uint64_t part_lba, uint32_t dev_sector);
/* Looks up an absolute path ("/boot/kernel.elf"): '/'-separated,
 * case-insensitive (fat_fold), long names and 8.3 names both match. A
 * file whose size is more than the volume's data area, or whose first
 * cluster is outside the volume, is FAT_ECORRUPT. */
int fat_open(struct fat_vol *v, const char *path, struct fat_file *f);
/* Reads the first `len` bytes (len <= f->size) of a file into dst, issuing
 * one read() per run of contiguous clusters (at most max_run logical
 * sectors each when max_run > 0) so a contiguous file costs few calls.
 * FAT copies: docs/media.md, "The second FAT". */
/* FAT_OK when the file's cluster chain is long enough for its size (in
 * some FAT copy), without reading its data: for a reader that allocates
 * f->size bytes only after this says the size is real. */
int fat_check_chain(struct fat_vol *v, const struct fat_file *f);
int fat_read_file(struct fat_vol *v, const struct fat_file *f, void *dst, uint32_t len,
                  uint32_t max_run);
/* A short English description of a FAT_E* code. */
const char *fat_strerror(int err);

/* A directory being read entry by entry. Several may be open at once
 * (a tree walk keeps one per level); each read costs a disk read only
 * when it moves to another sector. */
struct fat_dir {
    uint32_t cluster;           /* current cluster, 0 for the FAT12/16 fixed root */
    uint32_t sec;               /* sector within the cluster or the fixed root */
    uint32_t idx;               /* next entry within the sector */
    uint32_t clusters_left;     /* loop guard: fat_dir_cluster_cap() */
    uint8_t  done;
    uint8_t  lfn_active, lfn_next, lfn_sum;
    uint16_t lfn[FAT_LFN_MAX_ENTRIES * FAT_LFN_CHARS];   /* long name of the last entry */
};
/* Starts reading the directory at first_cluster (0 = the root). */
void fat_dir_start(const struct fat_vol *v, struct fat_dir *d, uint32_t first_cluster);
/* The next file or directory entry (deleted entries, volume labels and
 * long-name pieces are skipped): 1 with *e filled and *lfn_len the UTF-16
 * length of its long name in d->lfn (0: it has none), 0 at the end, or
 * a FAT_E* error. */
int fat_dir_next(struct fat_vol *v, struct fat_dir *d, struct fat_dirent *e, int *lfn_len);
/* The name to show for an entry fat_dir_next returned: its long name in
 * UTF-8, else its 8.3 name. out holds FAT_NAME_TEXT_MAX bytes. */
#define FAT_NAME_TEXT_MAX (3 * FAT_NAME_MAX + 1)
void fat_dir_name(const struct fat_dir *d, const struct fat_dirent *e, int lfn_len, char *out);
/* The file record of an entry (size 0 for a directory). */
void fat_dir_file(const struct fat_vol *v, const struct fat_dirent *e, struct fat_file *f);

/* Calls fn for each entry of the directory at `path` (long name when
 * present; "." and ".." left out). fn returns 0 to go on, anything else
 * stops the listing with that value. */
typedef int (*fat_dir_fn)(void *ctx, const char *name, const struct fat_file *f);
int fat_list(struct fat_vol *v, const char *path, fat_dir_fn fn, void *ctx);
/* The same for the directory starting at first_cluster (0 = the root). */
int fat_list_dir(struct fat_vol *v, uint32_t first_cluster, fat_dir_fn fn, void *ctx);

/* Directory entries fat_list_dir may read for one directory: the spec's
 * 65536, and never more clusters than the volume has. */
uint32_t fat_dir_cluster_cap(const struct fat_vol *v);

#endif

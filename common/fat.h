/* FAT12/16/32 on-disk structures (Microsoft FAT specification) and a small
 * read-only driver shared by stage2 (loads boot.cfg and the kernel) and
 * mkimage --inspect. The writer lives in mkimage/fat.c. */
#ifndef HYBOOT_FAT_H
#define HYBOOT_FAT_H

#include <stddef.h>
#include <stdint.h>

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

struct __attribute__((packed)) fat16_ext {      /* at offset 36 on FAT12/16 */
    uint8_t  drive_number;
    uint8_t  reserved1;
    uint8_t  boot_sig;          /* 0x29 */
    uint32_t volume_id;
    char     volume_label[11];
    char     fs_type[8];
};

struct __attribute__((packed)) fat32_ext {      /* at offset 36 on FAT32 */
    uint32_t fat_size32;
    uint16_t ext_flags;
    uint16_t fs_version;
    uint32_t root_cluster;
    uint16_t fs_info_sector;
    uint16_t backup_boot_sector;
    uint8_t  reserved[12];
    uint8_t  drive_number;
    uint8_t  reserved1;
    uint8_t  boot_sig;          /* 0x29 */
    uint32_t volume_id;
    char     volume_label[11];
    char     fs_type[8];
};
_Static_assert(sizeof(struct fat32_ext) == 54, "fat32_ext");

struct __attribute__((packed)) fat_fsinfo {
    uint32_t lead_sig;          /* 0x41615252 */
    uint8_t  reserved1[480];
    uint32_t struct_sig;        /* 0x61417272 */
    uint32_t free_count;
    uint32_t next_free;
    uint8_t  reserved2[12];
    uint32_t trail_sig;         /* 0xAA550000 */
};
_Static_assert(sizeof(struct fat_fsinfo) == 512, "fat_fsinfo");

struct __attribute__((packed)) fat_dirent {
    char     name[11];          /* 8.3, space padded */
    uint8_t  attr;
    uint8_t  nt_reserved;
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
#define FAT_LFN_CHARS      13

/* Cluster-count limits that decide the FAT type (the spec's rule). */
#define FAT12_MAX_CLUSTERS 4084
#define FAT16_MAX_CLUSTERS 65524

uint8_t fat_lfn_checksum(const char short_name[11]);

/* ---- read-only driver --------------------------------------------------- */

/* Reads `count` 512-byte sectors at absolute disk `lba` into buf.
 * Returns 0 or a non-zero error code (e.g. a BIOS status) for messages. */
typedef int (*fat_read_fn)(void *ctx, uint64_t lba, uint32_t count, void *buf);

#define FAT_NAME_MAX 255

struct fat_vol {
    fat_read_fn read;
    void    *ctx;
    uint64_t part_lba;          /* first sector of the volume on the disk */
    int      type;              /* 12, 16 or 32 */
    uint32_t sectors_per_cluster;
    uint32_t fat_lba;           /* relative to part_lba */
    uint32_t fat_sectors;
    uint32_t root_lba;          /* FAT12/16 fixed root directory, relative */
    uint32_t root_sectors;
    uint32_t root_cluster;      /* FAT32 */
    uint32_t data_lba;          /* relative: cluster 2 starts here */
    uint32_t clusters;          /* count of data clusters */
    uint64_t total_sectors;
    /* one-sector cache of the FAT */
    uint32_t cached_fat_sector; /* 0xffffffff when empty */
    uint8_t  fat_cache[512];
    uint8_t  sector[512];       /* scratch for directory reads */
    int      last_error;        /* read() status of the last failure */
    uint64_t last_error_lba;
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
#define FAT_ECORRUPT   -5     /* chain shorter than the size, bad cluster number, loop */
#define FAT_EISDIR     -6
#define FAT_EINVAL     -7     /* caller error, e.g. len > f->size */

/* Reads and checks the boot sector at part_lba. */
int fat_mount(struct fat_vol *v, fat_read_fn read, void *ctx, uint64_t part_lba);
/* Looks up an absolute path ("/boot/kernel.elf"): '/'-separated,
 * case-insensitive, long names and 8.3 names both match. */
int fat_open(struct fat_vol *v, const char *path, struct fat_file *f);
/* Reads the first `len` bytes (len <= f->size) of a file into dst, issuing
 * one read() per run of contiguous clusters (at most max_run sectors each
 * when max_run > 0) so a contiguous file costs few calls. */
int fat_read_file(struct fat_vol *v, const struct fat_file *f, void *dst, uint32_t len,
                  uint32_t max_run);
/* A short English description of a FAT_E* code. */
const char *fat_strerror(int err);

/* Directory listing, for mkimage --inspect: calls fn for each entry of
 * the directory at `path` (long name when present). */
typedef int (*fat_dir_fn)(void *ctx, const char *name, const struct fat_file *f);
int fat_list(struct fat_vol *v, const char *path, fat_dir_fn fn, void *ctx);

#endif

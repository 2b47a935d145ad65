/* The rules of the File Allocation Table itself (Microsoft FAT
 * specification), shared by the reader (common/fat.c: the loaders and
 * --inspect) and the writer (mkimage/fat*.c): the FAT type follows from
 * the cluster count alone, a FAT must hold an entry for every cluster,
 * how 12/16/32-bit entries are packed, and what their values mean. */
#ifndef HYBOOT_FAT_TABLE_H
#define HYBOOT_FAT_TABLE_H

#include <stdint.h>

/* Highest cluster count of each type; the next one up is the next type. */
#define FAT12_MAX_CLUSTERS 4084u
#define FAT16_MAX_CLUSTERS 65524u
#define FAT32_MAX_CLUSTERS 0x0ffffff5u   /* highest cluster number 0x0FFFFFF6 */

/* 12, 16 or 32, from the count of data clusters (the only rule: the
 * fs_type label in the boot sector is not consulted). */
int fat_type_for_clusters(uint32_t clusters);

/* Bytes a FAT of `type` needs for `clusters` data clusters plus the two
 * reserved entries 0 and 1. */
uint64_t fat_table_bytes(int type, uint64_t clusters);

/* Byte offset of entry `idx` in a FAT; an entry occupies 2 bytes from
 * there on FAT12 (it may straddle a sector), else type / 8 bytes. */
static inline uint32_t fat_entry_offset(int type, uint32_t idx)
{
    return type == 12 ? idx + idx / 2 : idx * (uint32_t)(type / 8);
}
static inline uint32_t fat_entry_width(int type) { return type == 12 ? 2 : (uint32_t)(type / 8); }

/* The value of entry `idx` from the fat_entry_width bytes at its offset. */
uint32_t fat_entry_decode(int type, uint32_t idx, const uint8_t *bytes);
/* Entry `idx` of a FAT held in memory (read or written whole). */
uint32_t fat_entry_get(const uint8_t *fat, int type, uint32_t idx);
void fat_entry_set(uint8_t *fat, int type, uint32_t idx, uint32_t val);

/* What writers put in an end-of-chain entry: all ones (FAT32: 28 bits). */
uint32_t fat_eoc(int type);
/* Entry 0: the media byte in the low 8 bits, the rest ones. */
uint32_t fat_entry0(int type, uint8_t media);

/* What a value read from entry c means, for a volume of `clusters` data
 * clusters (numbered 2 .. clusters + 1). */
enum fat_entry_kind {
    FAT_ENTRY_FREE,        /* 0 */
    FAT_ENTRY_NEXT,        /* a cluster number inside the volume */
    FAT_ENTRY_END,         /* end of chain (..F8 .. ..FF) */
    FAT_ENTRY_BAD,         /* bad cluster (..F7) */
    FAT_ENTRY_INVALID,     /* 1, or a cluster number beyond the volume */
};
enum fat_entry_kind fat_entry_kind(int type, uint32_t val, uint32_t clusters);

/* FSInfo sector (FAT32) signatures. */
#define FAT_FSINFO_LEAD_SIG   0x41615252u   /* "RRaA" */
#define FAT_FSINFO_STRUCT_SIG 0x61417272u   /* "rrAa" */
#define FAT_FSINFO_TRAIL_SIG  0xaa550000u
#define FAT_FSINFO_UNKNOWN    0xffffffffu   /* free count / next free not known */

/* The boot sector's extended signature (volume id, label, type follow). */
#define FAT_EXT_BOOT_SIG      0x29
/* FAT32 ext_flags: bit 7 set = only the FAT numbered in bits 0-3 is used. */
#define FAT32_NO_MIRROR       0x80
#define FAT32_ACTIVE_MASK     0x0f

#endif

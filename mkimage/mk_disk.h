/* The partition layout of a hyboot image and the writers of its MBR and
 * GPT (docs/mkimage.md, "What goes where"). */
#ifndef HYBOOT_MK_DISK_H
#define HYBOOT_MK_DISK_H

#include <stddef.h>
#include <stdint.h>
#include "gpt.h"
#include "mbr.h"

enum mk_mbr_mode {
    MK_MBR_HYBRID,      /* 0xEE over LBA 1..ESP-1, ESP entry active */
    MK_MBR_PROTECTIVE,  /* one 0xEE entry over the whole disk */
    MK_MBR_ONLY,        /* no GPT: ESP entry active (for CSMs that ignore GPT media) */
};

/* Every LBA below counts logical sectors of the image's sector size:
 * 512 bytes, or 4096 for 4Kn disks (--sector-size 4096), where the MBR,
 * both GPTs, the partitions and the FAT all use 4096-byte LBAs. The
 * regions keep their byte positions where they can:
 *                              512-byte sectors   4096-byte sectors
 *   primary GPT entries        LBA 2..33          LBA 2..5
 *   BIOS boot partition        LBA 40 (20 KiB)    LBA 6 (24 KiB)
 *   ESP                        LBA 2048 (1 MiB)   LBA 256 (1 MiB)
 *   backup entries + header    last 33 LBAs       last 5 LBAs */
#define MK_SECTOR_MIN      512u
#define MK_SECTOR_MAX      4096u
#define MK_ESP_OFFSET      (1u << 20)    /* the ESP starts 1 MiB aligned */
#define MK_ALIGN_BYTES     4096u         /* the BIOS boot partition starts, the ESP ends, 4 KiB aligned */
/* FAT32's total-sector field is 32 bits, so is an MBR entry's count. */
#define MK_ESP_MAX_SECTORS 0xffffffffULL

/* Sectors the GPT entry array takes (32 of 512 bytes, 4 of 4096). */
static inline uint64_t mk_gpt_entry_sectors(uint32_t sector_size) { return GPT_ENTRIES_BYTES / sector_size; }
/* Backup entries + backup header at the end of the disk. */
static inline uint64_t mk_gpt_tail(uint32_t sector_size) { return mk_gpt_entry_sectors(sector_size) + 1; }
/* First LBA after the primary entries, 4 KiB aligned (40 or 6). */
static inline uint64_t mk_bios_first_lba(uint32_t sector_size)
{
    uint64_t first = 2 + mk_gpt_entry_sectors(sector_size), a = MK_ALIGN_BYTES / sector_size;
    return (first + a - 1) / a * a;
}
static inline uint64_t mk_esp_first_lba(uint32_t sector_size) { return MK_ESP_OFFSET / sector_size; }
/* What stage1 reads in one call (common/bios_layout.h). */
#define MK_STAGE1_CALL_SECTORS STAGE1_CHUNK_SECTORS

/* Reads len bytes at byte off of an image: 0, or non-zero on failure. */
typedef int (*mk_read_at_fn)(void *ctx, uint64_t off, void *buf, size_t len);
/* The sector size (512 or 4096) an image of `bytes` was made for, from its
 * contents (sector_size.c): where its GPT header is (LBA 1 = byte 512 or
 * 4096), else what the FAT boot sector its MBR points at says; else
 * `prefer` when that is 4096 (a device's), else 512. *how says which. */
uint32_t mk_image_sector_size(mk_read_at_fn read, void *ctx, uint64_t bytes, uint32_t prefer, const char **how);

struct mk_layout {
    uint32_t sector_size;          /* bytes per LBA: 512 or 4096 */
    uint64_t total_sectors;
    uint64_t last_usable;          /* total - gpt tail - 1 */
    int      has_bios_part;        /* BIOS boot partition present */
    uint64_t bios_first, bios_last;
    uint64_t esp_first, esp_last;  /* inclusive */
    enum mk_mbr_mode mbr;
    uint8_t  esp_mbr_type;         /* 0xef or 0x0c */
    int      active_ee;            /* mark the 0xEE entry active (and not the ESP) */
    uint32_t disk_signature;
    uint8_t  disk_guid[16], bios_guid[16], esp_guid[16];
};

/* Fills the geometry of `l` for an image of `total_sectors` sectors of
 * `sector_size` bytes (512 or 4096); the caller sets mbr, esp_mbr_type,
 * active_ee, has_bios_part and the GUIDs. Returns 0, or -1 when the disk
 * is too small for the fixed regions. */
int mk_layout_compute(struct mk_layout *l, uint64_t total_sectors, uint32_t sector_size);
/* Sectors the ESP would have on such a disk (0 if none). */
uint64_t mk_layout_esp_sectors(uint64_t total_sectors, uint32_t sector_size);

/* ---- identifiers from the seed ----------------------------------------- */
/* A GUID derived from SHA-256(seed, purpose) with the RFC 4122 variant
 * (10xx) and version 4 bits set, in on-disk byte order. */
void mk_guid_derive(const uint8_t seed[32], const char *purpose, uint8_t out[16]);
/* 32 bits derived the same way, never 0 (disk signature, FAT volume id). */
uint32_t mk_u32_derive(const uint8_t seed[32], const char *purpose);

/* ---- MBR ------------------------------------------------------------- */
/* CHS of `lba` for a 255-head, 63-sector geometry, packed the MBR way;
 * LBAs past cylinder 1023 saturate to FE FF FF. */
void mk_chs(uint64_t lba, uint8_t out[3]);
/* One MBR entry; first and count are clamped to 32 bits (0xFFFFFFFF). */
void mk_mbr_entry(struct mbr_part *e, uint8_t type, int active, uint64_t first, uint64_t count);
/* The boot code of a UEFI-only image (bios/nobios.asm): it says so on
 * screen when a BIOS boots the disk. */
extern const unsigned char mk_nobios_code[];
extern const unsigned int mk_nobios_code_len;
/* Writes the first 512 bytes of LBA 0 (the rest of a larger sector is
 * zero): stage1 (or NULL: a stub that says the disk is not BIOS-bootable)
 * patched with where stage2 is (l's LBAs, stage2_sectors of l's sector
 * size), disk signature, table. */
void mk_mbr_build(uint8_t sector[512], const struct mk_layout *l,
                  const uint8_t *stage1, uint64_t stage1_size, uint32_t stage2_sectors);

/* ---- GPT --------------------------------------------------------------- */
/* The entry array (GPT_ENTRIES_BYTES). */
void mk_gpt_entries(const struct mk_layout *l, uint8_t entries[GPT_ENTRIES_BYTES]);
/* Primary (backup = 0) or backup header for an entry array whose CRC
 * (crc32_update(0, entries, GPT_ENTRIES_BYTES)) is entries_crc32. */
void mk_gpt_header(const struct mk_layout *l, uint32_t entries_crc32, int backup, struct gpt_header *h);

#endif

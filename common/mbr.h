/* The MBR at LBA 0 and hyboot's stage1 patch area inside its code. */
#ifndef HYBOOT_MBR_H
#define HYBOOT_MBR_H

#include <stdint.h>

#include "bios_layout.h"

#define MBR_CODE_SIZE        440
#define MBR_DISK_SIG_OFFSET  440   /* uint32_t */
#define MBR_TABLE_OFFSET     446   /* 4 x struct mbr_part */
#define MBR_SIG_OFFSET       510   /* 0x55 0xAA */

#define MBR_TYPE_FAT32_LBA   0x0c
#define MBR_TYPE_EFI_SYSTEM  0xef
#define MBR_TYPE_GPT_PROTECT 0xee
#define MBR_ACTIVE           0x80

struct __attribute__((packed)) mbr_part {
    uint8_t  status;        /* 0x80 active */
    uint8_t  chs_first[3];
    uint8_t  type;
    uint8_t  chs_last[3];
    uint32_t lba_first;
    uint32_t lba_count;
};
_Static_assert(sizeof(struct mbr_part) == 16, "mbr_part");

/* Bytes 3..89 of stage1 stay free of code: some BIOSes that emulate a
 * USB stick as a floppy write a BPB there. */
#define STAGE1_BPB_GAP_START 3
#define STAGE1_BPB_GAP_END   90

/* stage1 keeps this record at a fixed offset; stage1.asm assembles it
 * with the magic and mkimage fills in where stage2 is. */
#define STAGE1_PATCH_OFFSET  424
#define STAGE1_PATCH_MAGIC   0x31535948u   /* "HYS1" */
struct __attribute__((packed)) stage1_patch {
    uint32_t magic;
    uint32_t stage2_sectors;   /* 512-byte sectors to read */
    uint64_t stage2_lba;       /* first LBA of stage2 (BIOS boot partition) */
};
_Static_assert(sizeof(struct stage1_patch) == 16, "stage1_patch");
_Static_assert(STAGE1_PATCH_OFFSET + sizeof(struct stage1_patch) <= MBR_CODE_SIZE, "patch inside code area");

/* stage2 is loaded at STAGE2_LOAD_ADDR (common/bios_layout.h) and begins
 * with a header stage1 checks before jumping to its first byte. */
#define STAGE2_MAGIC         "HYSTAGE2"
struct __attribute__((packed)) stage2_header {
    uint8_t  jmp[8];           /* jmp to the real-mode entry, padded */
    char     magic[8];         /* STAGE2_MAGIC, no NUL */
    uint32_t size;             /* bytes of the stage2 image */
    uint32_t reserved;
};
_Static_assert(sizeof(struct stage2_header) == 24, "stage2_header");

#endif

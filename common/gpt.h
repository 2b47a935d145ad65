/* GUID Partition Table structures (UEFI spec, chapter 5) and checks
 * shared by mkimage (writes and inspects) and stage2 (finds the ESP). */
#ifndef HYBOOT_GPT_H
#define HYBOOT_GPT_H

#include <stdint.h>

#define GPT_SIGNATURE      0x5452415020494645ULL /* "EFI PART" */
#define GPT_REVISION       0x00010000u
#define GPT_HEADER_SIZE    92
#define GPT_ENTRY_SIZE     128
#define GPT_ENTRY_COUNT    128
#define GPT_ENTRIES_BYTES  (GPT_ENTRY_SIZE * GPT_ENTRY_COUNT)  /* 32 sectors of 512 */

struct __attribute__((packed)) gpt_header {
    uint64_t signature;
    uint32_t revision;
    uint32_t header_size;
    uint32_t header_crc32;
    uint32_t reserved;
    uint64_t my_lba;
    uint64_t alternate_lba;
    uint64_t first_usable_lba;
    uint64_t last_usable_lba;
    uint8_t  disk_guid[16];
    uint64_t entries_lba;
    uint32_t entry_count;
    uint32_t entry_size;
    uint32_t entries_crc32;
};
_Static_assert(sizeof(struct gpt_header) == GPT_HEADER_SIZE, "gpt_header");

struct __attribute__((packed)) gpt_entry {
    uint8_t  type_guid[16];
    uint8_t  unique_guid[16];
    uint64_t first_lba;
    uint64_t last_lba;        /* inclusive */
    uint64_t attributes;
    uint16_t name[36];        /* UTF-16LE */
};
_Static_assert(sizeof(struct gpt_entry) == GPT_ENTRY_SIZE, "gpt_entry");

/* GUIDs in on-disk byte order (first three fields little-endian). */
#define GPT_GUID_ESP \
    { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b }
#define GPT_GUID_BIOS_BOOT \
    { 0x48, 0x61, 0x68, 0x21, 0x49, 0x64, 0x6f, 0x6e, 0x74, 0x4e, 0x65, 0x65, 0x64, 0x45, 0x46, 0x49 }

/* CRC of a header with its header_crc32 field taken as zero. */
uint32_t gpt_header_crc(const struct gpt_header *h);

/* Checks signature, revision, header size, header CRC, my_lba == lba,
 * entry size/count sanity. NULL or a static reason. The entries' CRC is
 * checked separately by the caller once they are read:
 * crc32_update(0, entries, entry_count * entry_size) == entries_crc32. */
const char *gpt_header_check(const struct gpt_header *h, uint64_t lba);

int guid_is_zero(const uint8_t g[16]);
int guid_equal(const uint8_t a[16], const uint8_t b[16]);
/* "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" form; out holds 37 bytes. */
void guid_format(const uint8_t g[16], char out[37]);

#endif

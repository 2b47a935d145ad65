/* Judging the firmware structures boot_info points at: the ACPI RSDP,
 * SMBIOS entry points, EDID blocks, EFI table headers and the EFI memory
 * map. The loaders check what they hand over with these, the kernel's
 * self-test checks what it got, the host unit tests feed them broken
 * copies. Pure functions over bytes already in memory. Each check returns
 * 0, or -1 with a reason in why[n]. */
#ifndef HYBOOT_FWTABLES_H
#define HYBOOT_FWTABLES_H

#include <stddef.h>
#include <stdint.h>

/* ---- ACPI ---------------------------------------------------------------- */

/* An RSDP: "RSD PTR ", the ACPI 1.0 checksum over 20 bytes, and for
 * revision 2+ the length field (36..4096) and the extended checksum.
 * 1 when valid. */
int rsdp_valid(const volatile uint8_t *p);

/* ---- EFI configuration table GUIDs, as the 16 bytes in memory ----------- */

extern const uint8_t fw_guid_smbios[16];   /* SMBIOS_TABLE_GUID: the "_SM_" entry point */
extern const uint8_t fw_guid_smbios3[16];  /* SMBIOS3_TABLE_GUID: "_SM3_" */
extern const uint8_t fw_guid_acpi20[16];   /* EFI_ACPI_20_TABLE_GUID: an RSDP revision 2+ */
extern const uint8_t fw_guid_acpi10[16];   /* ACPI_TABLE_GUID: an ACPI 1.0 RSDP */

/* ---- SMBIOS -------------------------------------------------------------- */

#define SMBIOS2_EP_MIN 0x1e  /* 2.1 said 0x1E by mistake; firmware still writes it */
#define SMBIOS3_EP_MIN 0x18

struct smbios_ep {
    uint8_t  major, minor;
    uint8_t  length;         /* of the entry point */
    uint64_t table_addr;     /* the structure table */
    uint32_t table_len;      /* 32-bit: exact length; 64-bit: maximum size */
};

/* A 32-bit "_SM_" entry point: anchor, length, checksum over its length,
 * the "_DMI_" intermediate anchor and its checksum, a non-empty table. */
int fw_smbios2_check(const uint8_t *ep, struct smbios_ep *out, char *why, size_t n);
/* A 64-bit "_SM3_" entry point: anchor, length, checksum, version >= 3,
 * a non-empty table. */
int fw_smbios3_check(const uint8_t *ep, struct smbios_ep *out, char *why, size_t n);

/* Scans mem[0..len) (physical address base, 16-byte steps, as the SMBIOS
 * spec asks of a BIOS F-segment search) for the first valid entry point of
 * each kind; their physical addresses or 0. */
void fw_smbios_scan(const uint8_t *mem, size_t len, uint64_t base, uint64_t *ep2, uint64_t *ep3);

/* ---- EDID ---------------------------------------------------------------- */

struct edid_info {
    uint32_t extensions;             /* byte 126 of block 0 */
    uint32_t pref_width, pref_height; /* first detailed timing, 0 if none */
};

/* size a positive multiple of 128 that equals 128 * (1 + extensions),
 * the fixed header 00 FF FF FF FF FF FF 00, every block summing to 0. */
int fw_edid_check(const uint8_t *edid, uint32_t size, struct edid_info *out, char *why, size_t n);

/* ---- EFI ----------------------------------------------------------------- */

#define FW_EFI_ST_SIGNATURE   0x5453595320494249ULL /* "IBI SYST" */
#define FW_EFI_RT_SIGNATURE 0x56524553544e5552ULL /* "RUNTSERV" */
#define FW_EFI_ST_SIZE 120   /* x64, UEFI 2.x: the fields up to ConfigurationTable */
#define FW_EFI_RT_SIZE 136

/* Offsets in the x64 EFI_SYSTEM_TABLE and EFI_RUNTIME_SERVICES. */
#define EFI_ST_FIRMWARE_VENDOR 24
#define EFI_ST_RUNTIME_SERVICES 88
#define EFI_ST_TABLE_COUNT 104
#define EFI_ST_TABLES 112
#define EFI_RT_GET_TIME 24
/* The same in 32-bit firmware's tables (BOOT_FLAG_EFI32): 4-byte
 * pointers and UINTNs after the common 24-byte header; a configuration
 * table entry is a GUID and a 4-byte pointer. */
#define FW_EFI_ST32_SIZE 72
#define EFI_ST32_RUNTIME_SERVICES 56
#define EFI_ST32_TABLE_COUNT 64
#define EFI_ST32_TABLES 68
#define EFI_RT32_SIZE 68

/* A table header (signature, revision, header size, CRC32): signature as
 * given, revision major >= 1, header_size in [min_size, 4096], and the
 * CRC32 of header_size bytes with the CRC field zeroed. The caller must
 * have 4096 readable bytes, or header_size of them. */
int fw_efi_header_check(const uint8_t *hdr, uint64_t signature, uint32_t min_size, char *why, size_t n);

#define FW_EFI_MEMORY_RUNTIME (1ULL << 63)
#define FW_EFI_RUNTIME_SERVICES_DATA 6

struct efi_mmap_info {
    uint32_t count;
    uint32_t runtime;      /* descriptors with FW_EFI_MEMORY_RUNTIME */
    uint64_t pages;
};

/* The final EFI memory map: descriptor version 1, a descriptor size of at
 * least 40 bytes and a multiple of 8, size a non-zero multiple of it;
 * every descriptor with a known type (< 16, or the OEM/OS ranges from
 * 0x70000000), a 4 KiB-aligned start, a non-zero page count that does not
 * wrap, and no two descriptors overlapping. */
int fw_efi_mmap_check(const uint8_t *map, uint64_t size, uint32_t desc_size, uint32_t version,
                      struct efi_mmap_info *out, char *why, size_t n);

/* The descriptor covering addr: its type and attribute in *type and *attr,
 * 0; -1 when none does. The map must have passed fw_efi_mmap_check. */
int fw_efi_mmap_find(const uint8_t *map, uint64_t size, uint32_t desc_size, uint64_t addr, uint32_t *type,
                     uint64_t *attr);

#endif

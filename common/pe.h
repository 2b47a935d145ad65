/* The PE/COFF check for a UEFI loader, one definition for mkimage (it
 * refuses to install a loader that fails it) and --inspect (it calls the
 * UEFI path broken when the installed one fails it). Firmware runs a file
 * from \EFI\BOOT only when it is a PE image for the CPU, of subsystem 10
 * (EFI application); everything it reads must lie inside the file.
 * Works on any memory buffer (fuzzing). */
#ifndef HYBOOT_PE_H
#define HYBOOT_PE_H

#include <stddef.h>
#include <stdint.h>

#define PE_MACHINE_I386        0x014c
#define PE_MACHINE_X64         0x8664
#define PE_OPT_MAGIC_PE32      0x010b
#define PE_OPT_MAGIC_PE32PLUS  0x020b
#define PE_SUBSYSTEM_EFI_APP   10
#define PE_MAX_SECTIONS        96      /* the PE/COFF limit */

struct pe_info {
    uint16_t machine;
    uint16_t magic;
    uint16_t subsystem;
    uint16_t sections;
    uint32_t entry;           /* AddressOfEntryPoint (RVA) */
    uint32_t image_size;      /* SizeOfImage */
};

/* Checks the image (n bytes) for firmware of `machine` (PE_MACHINE_*):
 * "MZ", the PE signature inside the file, that machine, the optional
 * header magic that goes with it (PE32+ for x86-64, PE32 for i386),
 * subsystem 10, an entry point inside the image, 1..96 sections whose
 * table and raw data lie inside the file. NULL (info filled when not
 * NULL) or a static reason. */
const char *pe_check(const uint8_t *d, size_t n, uint16_t machine, struct pe_info *info);

/* Where an image's Authenticode signature lives and what it covers
 * (Microsoft's "Windows Authenticode Portable Executable Signature
 * Format"): the hash skips the CheckSum field, the Certificate Table's
 * data-directory entry and the certificate table itself. Offsets are file
 * offsets. */
#define PE_DIR_SECURITY        4       /* data directory index of the certificate table */
#define PE_WIN_CERT_REVISION   0x0200
#define PE_WIN_CERT_PKCS7      0x0002  /* WIN_CERT_TYPE_PKCS_SIGNED_DATA */

struct pe_sig_layout {
    uint32_t checksum_off;    /* the optional header's CheckSum */
    uint32_t certdir_off;     /* the security data-directory entry (8 bytes) */
    uint32_t headers_size;    /* SizeOfHeaders */
    uint32_t cert_off;        /* the certificate table; 0 when unsigned */
    uint32_t cert_size;
    uint64_t hashed_end;      /* where the hashed bytes end (the table, or the file's end) */
    uint32_t sections_off;    /* the section table (inside the file) */
    uint16_t nsections;
};

/* Locates the fields above in an image that passed pe_check. NULL, or a
 * static reason (no room for the security directory, a certificate table
 * not at the file's end, not inside the file). */
const char *pe_sig_layout(const uint8_t *d, size_t n, struct pe_sig_layout *l);

/* The Authenticode SHA-256 of the image: headers (less CheckSum and the
 * security entry), sections in file order, then any bytes after them up
 * to the certificate table, as firmware (EDK2's DxeImageVerificationLib)
 * computes it. NULL or a static reason. */
const char *pe_authenticode_sha256(const uint8_t *d, size_t n, uint8_t out[32]);

/* The first PKCS#7 SignedData in the certificate table, or NULL (and
 * *len 0) when the image carries none. Bounds-checked. */
const uint8_t *pe_signature(const uint8_t *d, size_t n, size_t *len);

/* The PE CheckSum (16-bit one's-complement sum of the file with the
 * CheckSum field taken as zero, plus the file's length). */
uint32_t pe_checksum(const uint8_t *d, size_t n, uint32_t checksum_off);

/* "/EFI/BOOT/BOOTX64.EFI" or "/EFI/BOOT/BOOTIA32.EFI": where firmware of
 * that machine looks on removable media; NULL for another machine. */
const char *pe_removable_path(uint16_t machine);
/* Where shim (as BOOTX64.EFI) looks for the loader it starts and for
 * MokManager: the shim + MOK route of docs/secure-boot.md. */
#define PE_SHIM_NEXT_X64 "/EFI/BOOT/grubx64.efi"
#define PE_SHIM_MM_X64   "/EFI/BOOT/mmx64.efi"

/* "x86-64", "i386", or "unknown". */
const char *pe_machine_name(uint16_t machine);

#endif

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

/* "/EFI/BOOT/BOOTX64.EFI" or "/EFI/BOOT/BOOTIA32.EFI": where firmware of
 * that machine looks on removable media; NULL for another machine. */
const char *pe_removable_path(uint16_t machine);
/* "x86-64", "i386", or "unknown". */
const char *pe_machine_name(uint16_t machine);

#endif

/* Firmware tables the loaders hand the kernel: the ACPI RSDP and the
 * SMBIOS entry points. The checks are the specs' own (signature, length,
 * checksums); the legacy BIOS layer finds the tables by scanning low
 * memory (bios/tables.c), UEFI through its configuration table, and both
 * validate them here.
 * The kernel's self-test uses the same checks. */
#ifndef HYBOOT_FWTABLES_H
#define HYBOOT_FWTABLES_H

#include <stdint.h>

/* ACPI 1.0 RSDP (20 bytes, one checksum) or 2.0+ (length field, extended
 * checksum). */
int rsdp_valid(const volatile uint8_t *p);
/* SMBIOS 2.x 32-bit entry point: "_SM_", its length (0x1f, or 0x1e from
 * a 2.1 spec erratum), its checksum, and the "_DMI_" intermediate part. */
int smbios32_valid(const volatile uint8_t *p);
/* SMBIOS 3.x 64-bit entry point: "_SM3_", its length (>= 0x18), checksum. */
int smbios64_valid(const volatile uint8_t *p);

#endif

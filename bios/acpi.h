/* The ACPI RSDP under a legacy BIOS. */
#ifndef HYBOOT_BIOS_ACPI_H
#define HYBOOT_BIOS_ACPI_H

#include <stdint.h>

/* Physical address of the RSDP, or 0: "RSD PTR " on a 16-byte boundary
 * in the first KiB of the EBDA, then in 0xE0000..0xFFFFF, with a valid
 * checksum (and extended checksum for revision >= 2). */
uint32_t acpi_find_rsdp(void);

#endif

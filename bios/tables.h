/* The ACPI RSDP and the SMBIOS entry points of a legacy BIOS (0: none). */
#ifndef HYBOOT_BIOS_TABLES_H
#define HYBOOT_BIOS_TABLES_H

#include <stdint.h>

uint32_t bios_find_rsdp(void);
void bios_find_smbios(uint64_t *entry32, uint64_t *entry64);

#endif

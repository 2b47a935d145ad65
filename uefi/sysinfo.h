/* What the firmware knows that the kernel wants: ACPI RSDP, boot device. */
#ifndef HYBOOT_UEFI_SYSINFO_H
#define HYBOOT_UEFI_SYSINFO_H

#include "uefi.h"
#include "boot_info.h"

/* RSDP from the configuration table: the ACPI 2.0 entry, else 1.0; 0 if neither. */
uint64_t acpi_find_rsdp(void);

/* Fills dev from the HARDDRIVE node of `device`'s device path (partition
 * GUID or MBR signature, first LBA) and, through Block I/O of the whole
 * disk, the GPT disk GUID and MBR signature. Unknown fields stay zero. */
void boot_device_info(EFI_HANDLE device, struct boot_device *dev);

#endif

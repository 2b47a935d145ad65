/* Firmware tables the loaders hand over and the kernel's self-test
 * judges (common/fwtables.c): RSDP, SMBIOS 2 and 3 entry points and the
 * F-segment scan, EDID, EFI table headers, the EFI memory map. The input
 * sits at the start of a zeroed 4 KiB buffer (the most any check reads
 * from a pointer the firmware gave); byte 0 picks the check. */
#include <stdint.h>
#include <string.h>

#include "fwtables.h"

static uint8_t mem[4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size - 1 > sizeof mem)
        return 0;
    const uint8_t *d = data + 1;
    size_t n = size - 1;
    memset(mem, 0, sizeof mem);
    memcpy(mem, d, n);
    char why[128];
    struct smbios_ep ep;
    switch (data[0] % 6) {
    case 0:
        rsdp_valid(mem);
        break;
    case 1:
        fw_smbios2_check(mem, &ep, why, sizeof why);
        fw_smbios3_check(mem, &ep, why, sizeof why);
        break;
    case 2: {
        uint64_t e2, e3;
        fw_smbios_scan(d, n, 0xf0000, &e2, &e3);
        if ((e2 && (e2 < 0xf0000 || e2 - 0xf0000 >= n)) || (e3 && (e3 < 0xf0000 || e3 - 0xf0000 >= n)))
            __builtin_trap();
        break;
    }
    case 3: {
        struct edid_info info;
        fw_edid_check(d, (uint32_t)n, &info, why, sizeof why);
        break;
    }
    case 4:
        fw_efi_header_check(mem, FW_EFI_ST_SIGNATURE, FW_EFI_ST_SIZE, why, sizeof why);
        fw_efi_header_check(mem, FW_EFI_RT_SIGNATURE, FW_EFI_RT_SIZE, why, sizeof why);
        break;
    case 5: {
        if (n < 2)
            break;
        uint32_t desc = 8u * (d[0] % 16), version = d[1] % 3;
        struct efi_mmap_info info;
        uint32_t type;
        uint64_t attr;
        if (fw_efi_mmap_check(d + 2, n - 2, desc, version, &info, why, sizeof why) == 0)
            fw_efi_mmap_find(d + 2, n - 2, desc, n > 10 ? (uint64_t)d[2] << 12 : 0, &type, &attr);
        break;
    }
    }
    return 0;
}

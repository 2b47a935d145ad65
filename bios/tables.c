/* Firmware tables in low memory, found the legacy way: the specs say
 * where to scan, common/fwtables.c says what a valid table looks like. */
#include "tables.h"

#include "fwtables.h"

/* Absolute low-memory addresses, read through volatile pointers. */
static const volatile uint8_t *low(uint32_t a) { return (const volatile uint8_t *)(uintptr_t)a; }

static uint32_t scan_rsdp(uint32_t from, uint32_t to)
{
    for (uint32_t a = from; a + 36 <= to; a += 16)
        if (rsdp_valid(low(a)))
            return a;
    return 0;
}

/* ACPI: the first KiB of the EBDA, then 0xE0000..0xFFFFF. */
uint32_t bios_find_rsdp(void)
{
    uint32_t ebda = (uint32_t)*(const volatile uint16_t *)low(0x40e) << 4;
    uint32_t r = 0;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        r = scan_rsdp(ebda, ebda + 1024);
    if (!r)
        r = scan_rsdp(0xe0000, 0x100000);
    return r;
}

/* SMBIOS: 0xF0000..0xFFFFF on 16-byte boundaries. */
void bios_find_smbios(uint64_t *entry32, uint64_t *entry64)
{
    fw_smbios_scan((const uint8_t *)low(0xf0000), 0x10000, 0xf0000, entry32, entry64);
}

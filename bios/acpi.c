#include "acpi.h"

#include "mem.h"

static uint8_t sum(const volatile uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

static int rsdp_valid(const volatile uint8_t *p)
{
    if (memcmp((const void *)p, "RSD PTR ", 8) || sum(p, 20))
        return 0;
    if (p[15] >= 2) {                /* revision: ACPI 2.0+ has 36+ bytes and a second sum */
        uint32_t len = p[20] | p[21] << 8 | p[22] << 16 | (uint32_t)p[23] << 24;
        if (len < 36 || len > 4096 || sum(p, len))
            return 0;
    }
    return 1;
}

static uint32_t scan(uint32_t from, uint32_t to)
{
    for (uint32_t a = from; a + 20 <= to; a += 16)
        if (rsdp_valid((const volatile uint8_t *)a))
            return a;
    return 0;
}

uint32_t acpi_find_rsdp(void)
{
    uint32_t ebda = (uint32_t)*(const volatile uint16_t *)0x40e << 4;
    uint32_t r = 0;
    if (ebda >= 0x80000 && ebda < 0xa0000)
        r = scan(ebda, ebda + 1024);
    if (!r)
        r = scan(0xe0000, 0x100000);
    return r;
}

#include "fwtables.h"
#include "mem.h"

static uint8_t sum(const volatile uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

static int sig(const volatile uint8_t *p, const char *s)
{
    for (; *s; s++, p++)
        if (*p != (uint8_t)*s)
            return 0;
    return 1;
}

int rsdp_valid(const volatile uint8_t *p)
{
    if (!sig(p, "RSD PTR ") || sum(p, 20))
        return 0;
    if (p[15] >= 2) {                /* revision: ACPI 2.0+ has 36+ bytes and a second sum */
        uint32_t len = p[20] | p[21] << 8 | p[22] << 16 | (uint32_t)p[23] << 24;
        if (len < 36 || len > 4096 || sum(p, len))
            return 0;
    }
    return 1;
}

int smbios32_valid(const volatile uint8_t *p)
{
    uint8_t len = p[5];
    if (!sig(p, "_SM_") || len < 0x1e || len > 0x20 || sum(p, len))
        return 0;
    /* the intermediate entry point: "_DMI_" at 0x10, 15 bytes summing to 0 */
    return sig(p + 0x10, "_DMI_") && sum(p + 0x10, 15) == 0;
}

int smbios64_valid(const volatile uint8_t *p)
{
    uint8_t len = p[6];
    return sig(p, "_SM3_") && len >= 0x18 && len <= 0x40 && sum(p, len) == 0;
}

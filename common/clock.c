#include "clock.h"
#include "io.h"

static int leap(uint32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t clock_unix_seconds(uint32_t year, uint32_t month, uint32_t day, uint32_t hour,
                           uint32_t minute, uint32_t second)
{
    static const uint8_t mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 23 ||
        minute > 59 || second > 60)
        return 0;
    uint32_t dim = mdays[month - 1] + (month == 2 && leap(year));
    if (day > dim)
        return 0;
    /* Days in whole years and months before the date: small counts, so
     * 32-bit loops (stage2 has no 64-bit division). */
    uint32_t days = 0;
    for (uint32_t y = 1970; y < year; y++)
        days += 365 + leap(y);
    for (uint32_t m = 1; m < month; m++)
        days += mdays[m - 1] + (m == 2 && leap(year));
    days += day - 1;
    return (int64_t)days * 86400 + hour * 3600 + minute * 60 + second;
}

#define CMOS_ADDR 0x70
#define CMOS_DATA 0x71

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_ADDR, reg);   /* bit 7 clear: NMI stays enabled as we found it on PCs */
    return inb(CMOS_DATA);
}

static uint32_t from_bcd(uint8_t v, int bcd) { return bcd ? (v >> 4) * 10 + (v & 15) : v; }

int64_t clock_read_cmos(void)
{
    uint8_t t[7], again[7];
    /* Read twice outside an update cycle until two reads agree: the RTC
     * ticks while we read, and status A bit 7 warns of the next update. */
    for (int tries = 0; tries < 8; tries++) {
        for (int w = 0; w < 100000 && (cmos(0x0a) & 0x80); w++)
            io_wait();
        static const uint8_t regs[7] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };
        for (int i = 0; i < 7; i++)
            t[i] = cmos(regs[i]);
        for (int i = 0; i < 7; i++)
            again[i] = cmos(regs[i]);
        int same = 1;
        for (int i = 0; i < 7; i++)
            same &= t[i] == again[i];
        if (!same)
            continue;
        uint8_t b = cmos(0x0b);
        int bcd = !(b & 0x04), h24 = b & 0x02;
        uint32_t sec = from_bcd(t[0], bcd), min = from_bcd(t[1], bcd);
        uint32_t hour = from_bcd(t[2] & 0x7f, bcd);
        if (!h24 && (t[2] & 0x80))
            hour = hour % 12 + 12;          /* 12-hour clock, PM */
        else if (!h24 && hour == 12)
            hour = 0;                       /* 12 AM is midnight */
        uint32_t day = from_bcd(t[3], bcd), mon = from_bcd(t[4], bcd), yr = from_bcd(t[5], bcd);
        /* 0x32 is the century on most PCs (ACPI names it in the FADT);
         * when it does not look like one, assume 20xx. */
        uint32_t century = from_bcd(t[6], bcd);
        if (century < 19 || century > 21)
            century = 20;
        return clock_unix_seconds(century * 100 + yr, mon, day, hour, min, sec);
    }
    return 0;
}

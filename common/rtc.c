/* CMOS RTC (see rtc.h): registers 0x00-0x09 hold the time in BCD or
 * binary (register B bit 2) and 12- or 24-hour form (bit 1); 0x32 is the
 * century register that QEMU and ACPI's FADT default use. */
#include "rtc.h"

#include "io.h"
#include "unixtime.h"

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static int updating(void)
{
    return cmos_read(0x0a) & 0x80;
}

struct raw {
    uint8_t sec, min, hour, day, mon, year, century;
};

static int read_raw(struct raw *r)
{
    /* the update-in-progress flag stays up for under 2 ms once a second */
    for (uint32_t spins = 0; updating(); spins++)
        if (spins > 10000000u)
            return -1;
    r->sec = cmos_read(0x00);
    r->min = cmos_read(0x02);
    r->hour = cmos_read(0x04);
    r->day = cmos_read(0x07);
    r->mon = cmos_read(0x08);
    r->year = cmos_read(0x09);
    r->century = cmos_read(0x32);
    return 0;
}

static uint8_t from_bcd(uint8_t v)
{
    return (uint8_t)((v >> 4) * 10 + (v & 15));
}

int64_t rtc_read_unix(void)
{
    struct raw a, b;
    /* read until two readings agree: an update may start right after the
     * flag was seen clear */
    if (read_raw(&a))
        return -1;
    for (int tries = 0;; tries++) {
        if (read_raw(&b))
            return -1;
        if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day && a.mon == b.mon &&
            a.year == b.year && a.century == b.century)
            break;
        if (tries > 5)
            return -1;
        a = b;
    }
    uint8_t regb = cmos_read(0x0b);
    int pm = !(regb & 2) && (b.hour & 0x80);
    b.hour &= 0x7f;
    if (!(regb & 4)) {
        b.sec = from_bcd(b.sec);
        b.min = from_bcd(b.min);
        b.hour = from_bcd(b.hour);
        b.day = from_bcd(b.day);
        b.mon = from_bcd(b.mon);
        b.year = from_bcd(b.year);
        b.century = from_bcd(b.century);
    }
    if (!(regb & 2))
        b.hour = (uint8_t)(b.hour % 12 + (pm ? 12 : 0));
    /* no century register (or garbage in it): this century */
    int century = b.century >= 19 && b.century <= 21 ? b.century : 20;
    struct civil_time c = { century * 100 + b.year, b.mon, b.day, b.hour, b.min, b.sec };
    int64_t t;
    if (b.year > 99 || unixtime_from_civil(&c, &t))
        return -1;
    return t;
}

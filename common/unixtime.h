/* Calendar dates <-> UNIX seconds (proleptic Gregorian, UTC, no leap
 * seconds): boot_info.boot_time is UNIX seconds, the RTC and EFI GetTime
 * give calendar fields. */
#ifndef HYBOOT_UNIXTIME_H
#define HYBOOT_UNIXTIME_H

#include <stddef.h>
#include <stdint.h>

struct civil_time {
    int32_t year;
    uint8_t month, day, hour, minute, second; /* 1-12, 1-31, 0-23, 0-59, 0-59 */
};

/* -1 when a field is out of range (day 31 of a 30-day month included)
 * or the year is beyond +-5 million. */
int unixtime_from_civil(const struct civil_time *c, int64_t *out);
void unixtime_to_civil(int64_t t, struct civil_time *c);

/* "2026-12-02 03:14:15" into buf (at least 20 bytes); returns buf. */
char *unixtime_format(char *buf, size_t n, int64_t t);

#endif

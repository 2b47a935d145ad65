/* Calendar arithmetic (see unixtime.h). Days are counted from
 * 0000-03-01 so that the leap day is the last day of a "year" and every
 * month length but February's follows one formula. */
#include "unixtime.h"

#include "fmt.h"

static int leap(int32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int32_t y, int m)
{
    static const uint8_t d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d. 32-bit arithmetic on purpose: the
 * 32-bit mbstub links this without libgcc's 64-bit division. */
static int32_t days_from_civil(int32_t y, int m, int d)
{
    y -= m <= 2;
    int32_t era = (y >= 0 ? y : y - 399) / 400;
    int32_t yoe = y - era * 400;                                 /* 0..399 */
    int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
    int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* 0..146096 */
    return era * 146097 + doe - 719468;
}

int unixtime_from_civil(const struct civil_time *c, int64_t *out)
{
    if (c->year < -5000000 || c->year > 5000000 || c->month < 1 || c->month > 12 || c->day < 1 || c->day > month_days(c->year, c->month) ||
        c->hour > 23 || c->minute > 59 || c->second > 59)
        return -1;
    *out = (int64_t)days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 + c->minute * 60 +
           c->second;
    return 0;
}

void unixtime_to_civil(int64_t t, struct civil_time *c)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = (int32_t)(yoe + era * 400 + (m <= 2));
    c->month = (uint8_t)m;
    c->day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1);
    c->hour = (uint8_t)(secs / 3600);
    c->minute = (uint8_t)(secs / 60 % 60);
    c->second = (uint8_t)(secs % 60);
}

char *unixtime_format(char *buf, size_t n, int64_t t)
{
    struct civil_time c;
    unixtime_to_civil(t, &c);
    fmt_snprintf(buf, n, "%04d-%02u-%02u %02u:%02u:%02u", (int)c.year, c.month, c.day, c.hour, c.minute,
                 c.second);
    return buf;
}

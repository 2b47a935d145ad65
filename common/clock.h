/* Calendar time to UNIX seconds, for boot_info.boot_time: the legacy
 * BIOS reads the CMOS RTC, UEFI calls GetTime; both give a broken-down
 * date that this turns into seconds since 1970-01-01 00:00 UTC. */
#ifndef HYBOOT_CLOCK_H
#define HYBOOT_CLOCK_H

#include <stdint.h>

/* 0 for a date that is not a real one (month 13, Feb 30, before 1970). */
int64_t clock_unix_seconds(uint32_t year, uint32_t month, uint32_t day, uint32_t hour,
                           uint32_t minute, uint32_t second);

/* Legacy PCs: the CMOS real-time clock (ports 0x70/0x71), taken as UTC
 * the way Linux and most PC firmware keep it. 0 when it does not answer
 * sensibly. */
int64_t clock_read_cmos(void);

#endif

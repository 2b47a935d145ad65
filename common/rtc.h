/* The PC/AT CMOS real-time clock, read as UTC (what QEMU's -rtc base=utc
 * default and the usual Linux/BSD convention keep in it). Freestanding
 * and 32/64-bit clean: the test-only mbstub links it to set boot_time. */
#ifndef HYBOOT_RTC_H
#define HYBOOT_RTC_H

#include <stdint.h>

/* UNIX seconds now; -1 when the clock reads as no valid date (no RTC,
 * or one that never leaves its update cycle). */
int64_t rtc_read_unix(void);

#endif

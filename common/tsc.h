/* TSC frequency, measured against the PIT (channel 2, gate via port 0x61),
 * which exists on every PC and in QEMU under both firmwares. Takes ~3 ms
 * (the shortest of three 1 ms measurements).
 * Returns ticks per second, or 0 if the PIT did not count. */
#ifndef HYBOOT_TSC_H
#define HYBOOT_TSC_H

#include <stdint.h>

uint64_t tsc_calibrate_pit(void);

#endif

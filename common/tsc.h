/* TSC frequency, measured against the PIT (channel 2, gate via port 0x61),
 * which exists on every PC and in QEMU under both firmwares. Takes ~3 ms
 * (the shortest of three 1 ms measurements).
 * Returns ticks per second, or 0 if the PIT did not count. */
#ifndef HYBOOT_TSC_H
#define HYBOOT_TSC_H

#include <stdint.h>

uint64_t tsc_calibrate_pit(void);

/* The same measurement without the wait: tsc_pit_start() sets PIT
 * channel 2 counting down from 65535 (54.9 ms) at a loader's entry,
 * tsc_pit_rate() later compares how far it counted with how far the TSC
 * did, waiting only if less than 1 ms has passed. Both clocks keep
 * running while a virtual CPU is descheduled, so one long window is as
 * honest as the best of three short ones. 0 when the PIT did not count
 * or the window ran past 54.9 ms (then use tsc_calibrate_pit). */
void tsc_pit_start(void);
uint64_t tsc_pit_rate(void);

#endif

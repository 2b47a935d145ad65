#include "tsc.h"
#include "io.h"

/* PIT channel 2 runs at 1193182 Hz; its gate is bit 0 of port 0x61 and
 * its output can be read back in bit 5, so no interrupt is needed. One
 * measurement counts down 1193 ticks (0.99985 ms) in mode 0 and times it
 * with the TSC; x1000 converts to Hz within 0.02% and avoids a 64-bit
 * division, which 32-bit stage2 would need libgcc for. Three windows cost
 * the boot 3 ms.
 * On a loaded host (or under TCG) the CPU can be descheduled between the
 * PIT expiring and our next poll, which only ever makes a measurement
 * longer: the shortest of three is the honest one. */
#define PIT_TICKS  1193u
#define TICKS_TO_HZ 1000u
#define ROUNDS     3
#define GIVE_UP_TICKS (1ULL << 28)            /* 268M: 0.05 s at 5 GHz, 0.27 s at 1 GHz */

static uint64_t measure(void)
{
    uint8_t saved = inb(0x61);
    outb(0x61, saved & ~0x03);                /* speaker off, gate low */
    outb(0x43, 0xb0);                         /* channel 2, lobyte/hibyte, mode 0 */
    outb(0x42, PIT_TICKS & 0xff);
    outb(0x42, PIT_TICKS >> 8);
    outb(0x61, (saved & ~0x02) | 0x01);       /* gate high: counting starts */
    uint64_t t0 = rdtsc();
    while (!(inb(0x61) & 0x20)) {
        /* No PIT (or one that never fires): give up after ~0.1 s at any
         * plausible TSC rate rather than hang; the caller then has no rate. */
        if (rdtsc() - t0 > GIVE_UP_TICKS) {
            outb(0x61, saved);
            return 0;
        }
    }
    uint64_t t1 = rdtsc();
    outb(0x61, saved);
    return t1 - t0;
}

uint64_t tsc_calibrate_pit(void)
{
    uint64_t best = 0;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t t = measure();
        if (!t) return 0;
        if (!best || t < best) best = t;
    }
    return best * TICKS_TO_HZ;
}

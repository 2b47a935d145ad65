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

#define PIT_HZ     1193182u
#define PIT_FULL   0xffffu
#define MIN_TICKS  1193u                      /* 1 ms: the rate within 0.1% */

static uint64_t window_tsc;
static uint8_t  window_saved61;
static int      window_on;

void tsc_pit_start(void)
{
    window_saved61 = inb(0x61);
    outb(0x61, window_saved61 & ~0x03);       /* speaker off, gate low */
    outb(0x43, 0xb0);                         /* channel 2, lobyte/hibyte, mode 0 */
    outb(0x42, PIT_FULL & 0xff);
    outb(0x42, PIT_FULL >> 8);
    outb(0x61, (window_saved61 & ~0x02) | 0x01);  /* gate high: counting starts */
    window_tsc = rdtsc();
    window_on = 1;
}

/* Ticks counted since tsc_pit_start, or -1 once the count has wrapped
 * (mode 0 raises OUT, bit 5 of port 0x61, when it reaches 0). */
static int32_t ticks_since_start(void)
{
    outb(0x43, 0x80);                         /* latch channel 2's count */
    uint16_t lo = inb(0x42), hi = inb(0x42);
    if (inb(0x61) & 0x20)
        return -1;
    return (int32_t)(PIT_FULL - (uint16_t)(lo | hi << 8));
}

uint64_t tsc_pit_rate(void)
{
    if (!window_on)
        return 0;
    int32_t ticks;
    uint64_t t;
    uint64_t give_up = window_tsc + GIVE_UP_TICKS;
    do {
        t = rdtsc();
        ticks = ticks_since_start();
        if (ticks < 0)
            break;
    } while ((uint32_t)ticks < MIN_TICKS && t < give_up);
    window_on = 0;
    outb(0x61, window_saved61);
    if (ticks < (int32_t)MIN_TICKS)
        return 0;
    return (t - window_tsc) * PIT_HZ / (uint32_t)ticks;
}

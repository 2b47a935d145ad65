#include "tsc.h"
#include "io.h"

/* PIT channel 2 runs at 1193182 Hz; its gate is bit 0 of port 0x61 and
 * its output can be read back in bit 5, so no interrupt is needed. We
 * count down 11932 ticks (10 ms) in one-shot mode and time it with the TSC. */
#define PIT_TICKS 11932u

uint64_t tsc_calibrate_pit(void)
{
    uint8_t saved = inb(0x61);
    outb(0x61, (saved & ~0x02) & ~0x01);     /* speaker off, gate low */
    outb(0x43, 0xb0);                         /* channel 2, lobyte/hibyte, mode 0 */
    outb(0x42, PIT_TICKS & 0xff);
    outb(0x42, PIT_TICKS >> 8);
    uint8_t v = inb(0x61);
    outb(0x61, v | 0x01);                     /* gate high: counting starts */
    uint64_t t0 = rdtsc();
    uint64_t spins = 0;
    while (!(inb(0x61) & 0x20)) {
        if (++spins > 50000000ULL) {          /* no PIT: give up rather than hang */
            outb(0x61, saved);
            return 0;
        }
    }
    uint64_t t1 = rdtsc();
    outb(0x61, saved);
    /* 11932 PIT ticks are 10.00015 ms: x100 is within 15 ppm and avoids a
     * 64-bit division, which 32-bit stage2 would need libgcc for. */
    return (t1 - t0) * 100;
}

/* The two 64-bit division helpers GCC calls in 32-bit code (stage2 and
 * BOOTIA32.EFI). Debian's gcc has no 32-bit libgcc without gcc-multilib,
 * and these are all the loaders need (milliseconds, MiB in messages).
 * Plain shift-subtract: nothing here is on a hot path. Empty in 64-bit
 * builds, where GCC divides inline. */
#include <stdint.h>

#if defined(__i386__)

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);

static uint64_t udivmod(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    if (d == 0) {                  /* no trap handler here: answer something */
        *rem = 0;
        return ~0ULL;
    }
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ULL << i;
        }
    }
    *rem = r;
    return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    return udivmod(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
    uint64_t r;
    udivmod(n, d, &r);
    return r;
}

#endif

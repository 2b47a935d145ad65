/* The 64-bit division helpers GCC calls in 32-bit code (stage2 and
 * BOOTIA32.EFI): unsigned and signed quotient and remainder. Debian's gcc
 * has no 32-bit libgcc without gcc-multilib, and these are all the
 * loaders need (milliseconds, MiB in messages, calendar arithmetic).
 * Plain shift-subtract: nothing here is on a hot path. Empty in 64-bit
 * builds, where GCC divides inline. */
#include <stdint.h>

#if defined(__i386__)

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

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

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t r;
    uint64_t q = udivmod(n, d, &r);
    if (rem)
        *rem = r;
    return q;
}

/* C's signed division truncates toward zero; the remainder takes the
 * dividend's sign. */
static uint64_t magnitude(int64_t v) { return v < 0 ? 0 - (uint64_t)v : (uint64_t)v; }

int64_t __divdi3(int64_t n, int64_t d)
{
    uint64_t r;
    uint64_t q = udivmod(magnitude(n), magnitude(d), &r);
    return (n < 0) != (d < 0) ? (int64_t)(0 - q) : (int64_t)q;
}

int64_t __moddi3(int64_t n, int64_t d)
{
    uint64_t r;
    udivmod(magnitude(n), magnitude(d), &r);
    return n < 0 ? (int64_t)(0 - r) : (int64_t)r;
}

#endif

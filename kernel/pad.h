/* The padded kernel variants (kernel-pad<N>.elf) carry N MiB of
 * pseudo-random, deterministic data in .data: large enough to measure
 * read speed, and checkable, so a truncated or corrupted load is caught.
 * kernel/tools/mkpad.c writes the bytes, the self-test regenerates them
 * from the same generator and compares. */
#ifndef HYBOOT_KERNEL_PAD_H
#define HYBOOT_KERNEL_PAD_H

#include <stdint.h>

#define PAD_SEED 0x6879626f6f747061ULL /* "aptoobyh" */

/* xorshift64*: one 64-bit word per call, stored little-endian. */
static inline uint64_t pad_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* Set by kernel/pad.S: empty (start == end) in the unpadded kernel. */
extern const uint8_t kernel_pad_start[], kernel_pad_end[];

#endif

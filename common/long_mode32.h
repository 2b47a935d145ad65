/* The jump from 32-bit protected mode into a 64-bit kernel
 * (common/long_mode32.S), for stage2 and BOOTIA32.EFI. */
#ifndef HYBOOT_LONG_MODE32_H
#define HYBOOT_LONG_MODE32_H

#include <stdint.h>

struct lm_jump {
    uint64_t entry;            /* kernel entry (virtual) */
    uint64_t stack_top;        /* 16-byte aligned */
    uint64_t boot_info;        /* into rdi */
    uint64_t pml4;             /* below 4 GiB */
};
_Static_assert(sizeof(struct lm_jump) == 32, "long_mode32.S reads these offsets");

void lm_enter32(const struct lm_jump *j) __attribute__((noreturn));

#endif

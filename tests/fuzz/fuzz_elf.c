/* The kernel ELF: common/elf.c's plan (both loaders and mkimage) and, for
 * a plan small enough, placing it the way the loaders do. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

/* Spans up to this are placed; larger valid plans are only planned. */
#define PLACE_MAX (8u << 20)
static uint8_t *dest;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_plan plan;
    if (elf_plan(data, size, &plan))
        return 0;
    if (plan.nseg == 0 || plan.nseg > ELF_MAX_SEGS || plan.span > ELF_MAX_SPAN)
        __builtin_trap();
    for (uint32_t i = 0; i < plan.nseg; i++) {
        const struct elf_seg *s = &plan.seg[i];
        if (s->offset > size || s->filesz > size - s->offset || s->filesz > s->memsz || s->vaddr < plan.vbase ||
            s->vaddr - plan.vbase + s->memsz > plan.span)
            __builtin_trap();
    }
    if (plan.span <= PLACE_MAX) {
        if (!dest)
            dest = malloc(PLACE_MAX);
        elf_place(&plan, data, dest);
    }
    return 0;
}

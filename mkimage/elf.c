/* Kernel and stage2 validation. The kernel check is the loaders' own
 * (elf_plan in common/elf.c), so an image mkimage accepts is one both
 * loaders accept. */
#include "mk_inputs.h"
#include "elf.h"
#include "mbr.h"

#include <stdio.h>
#include <string.h>

const char *mk_kernel_check(const uint8_t *data, uint64_t size)
{
    static char why[160];
    struct elf_plan plan;
    const char *r = elf_plan(data, size, &plan);
    if (r) {
        snprintf(why, sizeof why, "%s%s", r,
                 strcmp(r, "not a 64-bit ELF") == 0 ? " (a 32-bit ELF cannot be the kernel)" : "");
        return why;
    }
    return NULL;
}

const char *mk_stage2_check(const uint8_t *data, uint64_t size, uint64_t room)
{
    static char why[200];
    uint64_t max = room < STAGE2_MAX_SIZE ? room : STAGE2_MAX_SIZE;
    if (size > max) {
        snprintf(why, sizeof why,
                 "%llu bytes, more than the %llu bytes stage2 may have (the BIOS boot partition "
                 "holds %llu, memory from 0x%x to 0x70000 holds %u)",
                 (unsigned long long)size, (unsigned long long)max, (unsigned long long)room,
                 STAGE2_LOAD_ADDR, (unsigned)STAGE2_MAX_SIZE);
        return why;
    }
    struct stage2_header h;
    if (size < sizeof h) {
        snprintf(why, sizeof why, "%llu bytes, too short for a stage2 header", (unsigned long long)size);
        return why;
    }
    memcpy(&h, data, sizeof h);
    if (memcmp(h.magic, STAGE2_MAGIC, 8) != 0)
        return "no \"HYSTAGE2\" magic at offset 8: not a hyboot stage2";
    /* stage2 checks its own length against this field once loaded. */
    if (h.size == 0 || h.size > size) {
        snprintf(why, sizeof why, "its header says %u bytes but the file has %llu", h.size,
                 (unsigned long long)size);
        return why;
    }
    return NULL;
}

/* BIOS stage checks (see stage_check.h). */
#include "stage_check.h"
#include "fmt.h"
#include "mem.h"

const char *stage1_check(const uint8_t *code, uint64_t size, struct stage1_patch *patch, char *why, size_t len)
{
    if (size > MBR_CODE_SIZE) {
        fmt_snprintf(why, len, "%llu bytes, more than the %u bytes of MBR code space",
                     (unsigned long long)size, MBR_CODE_SIZE);
        return why;
    }
    if (size < STAGE1_PATCH_OFFSET + sizeof(struct stage1_patch)) {
        fmt_snprintf(why, len, "%llu bytes, too short to hold the stage2 location record at offset %u",
                     (unsigned long long)size, STAGE1_PATCH_OFFSET);
        return why;
    }
    struct stage1_patch p;
    memcpy(&p, code + STAGE1_PATCH_OFFSET, sizeof p);
    if (p.magic != STAGE1_PATCH_MAGIC) {
        fmt_snprintf(why, len, "no \"HYS1\" record at offset %u: not a hyboot stage1", STAGE1_PATCH_OFFSET);
        return why;
    }
    if (patch)
        *patch = p;
    return 0;
}

const char *stage2_check(const uint8_t *d, uint64_t n, struct stage2_header *out, char *why, size_t len)
{
    if (n > STAGE2_MAX_SIZE) {
        fmt_snprintf(why, len, "%llu bytes, more than the %u bytes from 0x%x to 0x%x where stage1 loads it",
                     (unsigned long long)n, (unsigned)STAGE2_MAX_SIZE, STAGE2_LOAD_ADDR,
                     STAGE2_LOAD_ADDR + (unsigned)STAGE2_MAX_SIZE);
        return why;
    }
    struct stage2_header h;
    if (n < sizeof h) {
        fmt_snprintf(why, len, "%llu bytes, too short for a stage2 header", (unsigned long long)n);
        return why;
    }
    memcpy(&h, d, sizeof h);
    if (memcmp(h.magic, STAGE2_MAGIC, sizeof h.magic) != 0) {
        fmt_snprintf(why, len, "no \"" STAGE2_MAGIC "\" magic at offset 8: not a hyboot stage2");
        return why;
    }
    /* stage2 checks its own length against this field once loaded. */
    if (h.size == 0 || h.size > n) {
        fmt_snprintf(why, len, "its header says %u bytes, but only %llu are there", h.size, (unsigned long long)n);
        return why;
    }
    if (out)
        *out = h;
    return 0;
}

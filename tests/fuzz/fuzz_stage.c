/* The BIOS stages' checks (common/stage_check.c): the input as stage1
 * (an MBR's boot code) and as stage2 (what stage1 loads). */
#include <stdint.h>
#include <string.h>

#include "stage_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[200];
    struct stage1_patch patch;
    stage1_check(data, size, &patch, why, sizeof why);
    struct stage2_header h;
    if (!stage2_check(data, size, &h, why, sizeof why) && size < sizeof h)
        __builtin_trap();
    /* A short buffer for the reason: it must be cut, not overrun. */
    char tiny[5];
    stage2_check(data, size, &h, tiny, sizeof tiny);
    stage1_check(data, size, NULL, tiny, sizeof tiny);
    return 0;
}

/* common/stage_check.c: what mkimage accepts as --stage1 / --stage2 and
 * --inspect as an installed stage1 / stage2. */
#include <string.h>

#include "check.h"
#include "stage_check.h"

int main(void)
{
    static uint8_t s1[512], s2[STAGE2_MAX_SIZE + 1];
    char why[200];
    struct stage1_patch p;
    struct stage1_patch rec = { STAGE1_PATCH_MAGIC, 0, 0 };
    memcpy(s1 + STAGE1_PATCH_OFFSET, &rec, sizeof rec);
    CHECK(stage1_check(s1, 440, &p, why, sizeof why) == NULL && p.magic == STAGE1_PATCH_MAGIC, "stage1: 440 bytes with HYS1");
    CHECK(stage1_check(s1, 441, NULL, why, sizeof why) && strstr(why, "441 bytes, more than the 440"), "stage1: 441 bytes refused");
    CHECK(stage1_check(s1, 430, NULL, why, sizeof why) && strstr(why, "too short"), "stage1: no room for the record");
    s1[STAGE1_PATCH_OFFSET] = 0;
    CHECK(stage1_check(s1, 440, NULL, why, sizeof why) && strstr(why, "HYS1"), "stage1: no HYS1 record");

    struct stage2_header h = { .size = 4000 };
    memcpy(h.magic, STAGE2_MAGIC, sizeof h.magic);
    memcpy(s2, &h, sizeof h);
    struct stage2_header out;
    CHECK(stage2_check(s2, 4000, &out, why, sizeof why) == NULL && out.size == 4000, "stage2: header and size accepted");
    CHECK(stage2_check(s2, 3999, NULL, why, sizeof why) && strstr(why, "says 4000 bytes, but only 3999"), "stage2: size beyond the bytes");
    CHECK(stage2_check(s2, 20, NULL, why, sizeof why) && strstr(why, "too short"), "stage2: shorter than a header");
    CHECK(stage2_check(s2, STAGE2_MAX_SIZE + 1, NULL, why, sizeof why) && strstr(why, "where stage1 loads it"),
          "stage2: larger than its memory");
    s2[8] = 'X';
    CHECK(stage2_check(s2, 4000, NULL, why, sizeof why) && strstr(why, "HYSTAGE2"), "stage2: no magic");
    return check_exit();
}

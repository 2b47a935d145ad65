/* The boot.cfg hash record in a loader file (secure_boot.h), found by
 * its magic; the bytes come from an untrusted file, so every offset is
 * checked against n. */
#include "secure_boot.h"
#include "mem.h"

long cfg_enrolment_find(const uint8_t *d, size_t n, const char **why)
{
    const size_t mlen = sizeof CFG_ENROLMENT_MAGIC - 1;
    long at = -1;
    for (size_t i = 0; n >= sizeof(struct cfg_enrolment) && i <= n - sizeof(struct cfg_enrolment); i++) {
        if (d[i] != 'H' || memcmp(d + i, CFG_ENROLMENT_MAGIC, mlen) != 0)
            continue;
        if (at >= 0) {
            *why = "holds two boot.cfg hash records (" CFG_ENROLMENT_MAGIC ")";
            return -1;
        }
        at = (long)i;
    }
    if (at < 0) {
        *why = "has no boot.cfg hash record (" CFG_ENROLMENT_MAGIC "): not a hyboot loader that can be signed";
        return -1;
    }
    struct cfg_enrolment e;
    memcpy(&e, d + at, sizeof e);
    if (e.version != CFG_ENROLMENT_VERSION) {
        *why = "its boot.cfg hash record has an unknown version";
        return -1;
    }
    return at;
}

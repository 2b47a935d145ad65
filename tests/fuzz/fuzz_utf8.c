/* Text decoding on the media: common/utf8.c (FAT long names in both
 * directions, --inspect's escaping) and common/fat_name.c (8.3 names,
 * long-name checks and LFN entries). */
#include <stdint.h>
#include <string.h>

#include "fat.h"
#include "fat_name.h"
#include "utf8.h"

static char text[4 * 1024 + 1];
static uint16_t units[1024];
static char out[3 * 1024 + 1];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > sizeof text - 1)
        return 0;
    const char *s = (const char *)data;
    /* The decoder must always move forward and stay inside. */
    for (size_t i = 0; i < size;) {
        size_t before = i;
        uint32_t cp = utf8_decode(s, size, &i);
        if (i <= before || i > size || (cp != UTF8_BAD && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))))
            __builtin_trap();
    }
    int n = utf8_to_utf16(s, size, units, size % 300);
    if (n > (int)(size % 300))
        __builtin_trap();
    /* Round trip: what decoded cleanly encodes back to the same bytes. */
    n = utf8_to_utf16(s, size, units, sizeof units / sizeof units[0]);
    if (n >= 0) {
        size_t back = utf16_to_utf8(units, (size_t)n, out, sizeof out);
        if (back != size || memcmp(out, s, size))
            __builtin_trap();
    }
    /* The input as UTF-16 units (what an LFN holds), into a cut buffer. */
    size_t nu = size / 2 < 1024 ? size / 2 : 1024;
    memcpy(units, data, nu * 2);
    size_t cap = 1 + (size ? data[0] : 0);
    size_t w = utf16_to_utf8(units, nu, out, cap);
    if (w >= cap || out[w] != 0)
        __builtin_trap();

    memcpy(text, data, size);
    text[size] = 0;
    fat_long_name_check(text);
    char basis[11], tail[11], short_text[13];
    int lossy, exact;
    int base_len = fat_short_basis(text, basis, &lossy, &exact);
    if (base_len < 1 || base_len > 8)
        __builtin_trap();
    fat_short_tail(basis, base_len, size ? 1u + data[size - 1] * 1000u : 1u, tail);
    if (size >= 11) {
        if (fat_short_to_text(s, data[size - 1], short_text) > 12)
            __builtin_trap();
        fat_lfn_checksum(s);
    }
    if (size >= sizeof(struct fat_lfn)) {
        struct fat_lfn l;
        uint16_t piece[FAT_LFN_CHARS];
        memcpy(&l, data, sizeof l);
        fat_lfn_unpack(&l, piece);
    }
    fat_name_iequal(s, size / 2, s + size / 2, size - size / 2);
    return 0;
}

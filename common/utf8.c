/* Strict UTF-8 <-> UTF-16 (see utf8.h for what "strict" rejects). */
#include "utf8.h"

uint32_t utf8_decode(const char *s, size_t len, size_t *i)
{
    /* Smallest code point each length may encode: anything below is an
     * overlong form (a second spelling of a shorter sequence). */
    static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
    uint8_t b = (uint8_t)s[*i];
    (*i)++;
    if (b < 0x80)
        return b;
    int more = (b & 0xe0) == 0xc0 ? 1 : (b & 0xf0) == 0xe0 ? 2 : (b & 0xf8) == 0xf0 ? 3 : 0;
    if (!more)
        return UTF8_BAD;                 /* a continuation byte or 0xF8..0xFF */
    uint32_t cp = b & (0x3fu >> more);
    size_t j = *i;
    for (int k = 0; k < more; k++, j++) {
        if (j >= len || ((uint8_t)s[j] & 0xc0) != 0x80)
            return UTF8_BAD;
        cp = cp << 6 | ((uint8_t)s[j] & 0x3f);
    }
    if (cp < min[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return UTF8_BAD;
    *i = j;
    return cp;
}

int utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    int n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    int shift = 6 * (n - 1);
    out[0] = (char)((0xf00u >> n) | (cp >> shift));   /* 110x, 1110, 11110 */
    for (int k = 1; k < n; k++) {
        shift -= 6;
        out[k] = (char)(0x80 | ((cp >> shift) & 0x3f));
    }
    return n;
}

int utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t max)
{
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp == UTF8_BAD)
            return -1;
        if (cp >= 0x10000) {
            if (n + 2 > max)
                return -1;
            cp -= 0x10000;
            out[n++] = (uint16_t)(0xd800 | (cp >> 10));
            out[n++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
        } else {
            if (n + 1 > max)
                return -1;
            out[n++] = (uint16_t)cp;
        }
    }
    return (int)n;
}

size_t utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t cp = u[k];
        if (cp >= 0xd800 && cp < 0xdc00 && k + 1 < n && u[k + 1] >= 0xdc00 && u[k + 1] < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (u[k + 1] - 0xdc00u);
            k++;
        } else if (cp >= 0xd800 && cp < 0xe000) {
            cp = '?';
        }
        char b[4];
        int m = utf8_encode(cp, b);
        if (o + (size_t)m >= cap)
            break;
        for (int j = 0; j < m; j++)
            out[o++] = b[j];
    }
    out[o] = 0;
    return o;
}

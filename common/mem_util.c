/* String helpers libc lacks (or spells differently), shared by target
 * and host code: bounded copy and ASCII case-insensitive compare. */
#include "mem.h"

size_t hy_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = 0;
    while (src[len])
        len++;
    if (n) {
        size_t k = len < n - 1 ? len : n - 1;
        for (size_t i = 0; i < k; i++)
            dst[i] = src[i];
        dst[k] = '\0';
    }
    return len;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int hy_strncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = ascii_lower((unsigned char)a[i]);
        int y = ascii_lower((unsigned char)b[i]);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}

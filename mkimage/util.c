/* Error reporting, allocation and size parsing for mkimage. */
#include "mk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *kind, const char *input, const char *fmt, va_list ap)
{
    /* One write per message so parallel runs do not interleave lines. */
    char msg[1024];
    int n = snprintf(msg, sizeof msg, MK_NAME ": %s: %s: ", kind, input ? input : "command line");
    if (n < 0 || (size_t)n >= sizeof msg)
        n = 0;
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    fprintf(stderr, "%s\n", msg);
}

void mk_error(const char *input, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("error", input, fmt, ap);
    va_end(ap);
}

void mk_warn(const char *input, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report("warning", input, fmt, ap);
    va_end(ap);
}

void *mk_zalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        mk_error(NULL, "out of memory (%zu bytes)", n);
        exit(MK_EXIT_FAIL);
    }
    return p;
}

void *mk_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        mk_error(NULL, "out of memory (%zu bytes)", n);
        exit(MK_EXIT_FAIL);
    }
    return q;
}

char *mk_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mk_zalloc(n);
    memcpy(d, s, n);
    return d;
}

int mk_parse_size(const char *s, uint64_t *out, const char **why)
{
    const char *p = s;
    uint64_t v = 0;
    if (*p < '0' || *p > '9') {
        *why = "not a size (examples: 64M, 2G, 3T, 1048576)";
        return -1;
    }
    while (*p >= '0' && *p <= '9') {
        if (v > (UINT64_MAX - 9) / 10) {
            *why = "size too large";
            return -1;
        }
        v = v * 10 + (uint64_t)(*p++ - '0');
    }
    unsigned shift = 0;
    switch (*p) {
    case 'k': case 'K': shift = 10; p++; break;
    case 'm': case 'M': shift = 20; p++; break;
    case 'g': case 'G': shift = 30; p++; break;
    case 't': case 'T': shift = 40; p++; break;
    default: break;
    }
    if (shift && (strcmp(p, "iB") == 0 || strcmp(p, "B") == 0))
        p += strlen(p);
    if (*p) {
        *why = "not a size (examples: 64M, 2G, 3T, 1048576)";
        return -1;
    }
    if (shift && v > (UINT64_MAX >> shift)) {
        *why = "size too large";
        return -1;
    }
    *out = v << shift;
    return 0;
}

void mk_format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
    if (bytes < 1024) {
        snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
        return;
    }
    double v = (double)bytes / 1024;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (v == (double)(uint64_t)v)
        snprintf(buf, len, "%llu %s", (unsigned long long)v, unit[u]);
    else
        snprintf(buf, len, "%.2f %s", v, unit[u]);
}

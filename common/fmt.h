/* A small snprintf for code without libc: kernel, stage2, UEFI loader.
 * Supports %% %c %s %d %i %u %x %X %p with flags '-' '0', a width, a
 * precision for %s, and length modifiers hh h l ll z. Always
 * NUL-terminates when n > 0; returns the length it would have written. */
#ifndef HYBOOT_FMT_H
#define HYBOOT_FMT_H

#include <stdarg.h>
#include <stddef.h>

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

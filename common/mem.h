/* The few libc string routines shared code uses. Hosted builds (mkimage,
 * unit tests) take them from libc; freestanding builds link common/mem.c,
 * which the compiler may also call for struct copies and zeroing. */
#ifndef HYBOOT_MEM_H
#define HYBOOT_MEM_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

/* Copies at most n-1 bytes and always NUL-terminates (n > 0). Returns strlen(src). */
size_t hy_strlcpy(char *dst, const char *src, size_t n);
/* ASCII-only case-insensitive compare (FAT names, boot.cfg keys). */
int hy_strncasecmp(const char *a, const char *b, size_t n);

#endif

/* The kernel command line: words separated by spaces or tabs; a word is
 * either a flag ("test") or key=value ("crash=ud"). */
#ifndef HYBOOT_KERNEL_CMDLINE_H
#define HYBOOT_KERNEL_CMDLINE_H

#include <stddef.h>

/* Is `word` one of the words (exactly, not a prefix)? */
int cmdline_has(const char *cmdline, const char *word);

/* Copies the value of the first key=value word with this key into
 * val (NUL-terminated, truncated to n-1). Returns 1 if found, else 0. */
int cmdline_value(const char *cmdline, const char *key, char *val, size_t n);

#endif

/* UTF-8 and UTF-16, the one decoder every part of hyboot uses: FAT long
 * names (reader and writer), --inspect's escaping of what it prints.
 * Strict: overlong forms, surrogates (U+D800..U+DFFF), values above
 * U+10FFFF and stray continuation bytes are errors, so a name has exactly
 * one spelling in bytes. Freestanding, no state, callable on any buffer. */
#ifndef HYBOOT_UTF8_H
#define HYBOOT_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_BAD 0xffffffffu

/* Decodes the sequence at s[*i] (s holds len bytes) and advances *i past
 * it. Returns the code point, or UTF8_BAD with *i advanced by one byte. */
uint32_t utf8_decode(const char *s, size_t len, size_t *i);
/* Writes cp (< 0x110000, not a surrogate) as 1..4 bytes; returns the count. */
int utf8_encode(uint32_t cp, char out[4]);

/* UTF-8 (len bytes) to UTF-16: the number of units written, or -1 when
 * the text is not UTF-8 or needs more than max units. */
int utf8_to_utf16(const char *s, size_t len, uint16_t *out, size_t max);
/* UTF-16 to NUL-terminated UTF-8 in out (cap bytes, cap > 0): an unpaired
 * surrogate becomes '?', and the text is cut at a character boundary when
 * it does not fit. Returns the bytes written (without the NUL). */
size_t utf16_to_utf8(const uint16_t *u, size_t n, char *out, size_t cap);

#endif

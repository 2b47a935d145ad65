/* A fixed-size bitmap font: `count` glyphs of `height` rows, each row
 * `bytes_per_row` bytes, most significant bit leftmost. Glyph i is the
 * Unicode code point i (0..count-1, i.e. Latin-1 for 256 glyphs).
 * hy_font_8x16 is generated at build time from Debian's console font
 * (kernel/tools/mkfont.c -> build/kernel/font.c). */
#ifndef HYBOOT_KERNEL_FONT_H
#define HYBOOT_KERNEL_FONT_H

#include <stdint.h>

struct hy_font {
    uint32_t width, height;
    uint32_t bytes_per_row;
    uint32_t count;
    const uint8_t *glyphs;
};

extern const struct hy_font hy_font_8x16;

/* The glyph for character c ('?' for anything the font lacks). */
static inline const uint8_t *font_glyph(const struct hy_font *f, unsigned char c)
{
    unsigned i = c < f->count ? c : '?';
    return f->glyphs + (uint64_t)i * f->height * f->bytes_per_row;
}

/* Is pixel (x, y) of glyph g set? */
static inline int font_bit(const struct hy_font *f, const uint8_t *g, uint32_t x, uint32_t y)
{
    return (g[y * f->bytes_per_row + x / 8] >> (7 - x % 8)) & 1;
}

#endif

/* A text console on one of three outputs: a framebuffer (glyphs drawn by
 * fbrender), a VGA text buffer (80x25 cells of char + attribute), or
 * nothing. Handles line wrap, '\n' '\r' '\t' '\b' and scrolling. The
 * buffers are plain memory, so unit tests drive it on the host. */
#ifndef HYBOOT_KERNEL_TEXTCON_H
#define HYBOOT_KERNEL_TEXTCON_H

#include <stddef.h>
#include <stdint.h>

#include "fbrender.h"
#include "font.h"

#define TC_NONE 0
#define TC_FB   1
#define TC_VGA  2

struct textcon {
    int kind;
    struct fb_surface fb;
    const struct hy_font *font;
    uint16_t *vga;              /* cells: char | attribute << 8 */
    uint32_t cols, rows;        /* in characters */
    uint32_t col, row;          /* cursor */
    uint32_t fg_px, bg_px;      /* framebuffer pixel values */
    uint8_t attr;               /* VGA attribute */
};

void tc_init_none(struct textcon *tc);
/* Clears the screen to bg. Colours are 0xRRGGBB. */
void tc_init_fb(struct textcon *tc, const struct fb_surface *s, const struct hy_font *f,
                uint32_t fg, uint32_t bg);
void tc_init_vga(struct textcon *tc, uint16_t *cells, uint32_t cols, uint32_t rows,
                 uint32_t fg, uint32_t bg);

/* Changes the colours of what is written next. */
void tc_set_colors(struct textcon *tc, uint32_t fg, uint32_t bg);
void tc_clear(struct textcon *tc);
void tc_putc(struct textcon *tc, char c);
void tc_write(struct textcon *tc, const char *s, size_t n);

/* The closest of the 16 VGA colours to 0xRRGGBB (for attributes). */
uint8_t tc_vga_color(uint32_t rgb);

#endif

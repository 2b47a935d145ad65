/* Pixels and glyphs on a linear framebuffer held in memory: any width,
 * height and pitch, 24 or 32 bits per pixel, channel positions as the
 * firmware reported them. No hardware access: the kernel points `base`
 * at the real framebuffer, unit tests and fbcheck at a plain buffer. */
#ifndef HYBOOT_KERNEL_FBRENDER_H
#define HYBOOT_KERNEL_FBRENDER_H

#include <stdint.h>

#include "boot_info.h"
#include "font.h"

struct fb_surface {
    uint8_t *base;
    uint32_t width, height;   /* pixels */
    uint32_t pitch;           /* bytes from one line to the next */
    uint32_t bpp;             /* 24 or 32 */
    uint8_t red_size, red_shift;
    uint8_t green_size, green_shift;
    uint8_t blue_size, blue_shift;
};

/* Fills s from the boot protocol's description, with `base` the address
 * the framebuffer is reachable at. NULL when usable, else why not. */
const char *fbs_from_boot(struct fb_surface *s, const struct boot_framebuffer *fb, void *base);

/* 0xRRGGBB -> the pixel value for this surface's channel layout. */
uint32_t fbs_color(const struct fb_surface *s, uint32_t rgb);
/* And back (channels scaled to 8 bits). */
uint32_t fbs_rgb(const struct fb_surface *s, uint32_t pixel);

void fbs_put(const struct fb_surface *s, uint32_t x, uint32_t y, uint32_t pixel);
uint32_t fbs_get(const struct fb_surface *s, uint32_t x, uint32_t y);
/* Clipped to the surface. */
void fbs_fill(const struct fb_surface *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t pixel);
/* Character c of font f with its top-left corner at (x, y): set bits in
 * fg, clear bits in bg (pixel values). Clipped to the surface. */
void fbs_glyph(const struct fb_surface *s, const struct hy_font *f, uint32_t x, uint32_t y,
               unsigned char c, uint32_t fg, uint32_t bg);
/* Moves everything up by `lines` pixel rows and fills the freed rows at
 * the bottom with bg. */
void fbs_scroll(const struct fb_surface *s, uint32_t lines, uint32_t bg);

#endif

/* Framebuffer drawing into memory (see fbrender.h). Pixels are written
 * byte by byte or as one 32-bit store when the surface allows it, so an
 * odd pitch or a 24-bit layout never causes a misaligned access. */
#include "fbrender.h"

#include "mem.h"

const char *fbs_from_boot(struct fb_surface *s, const struct boot_framebuffer *fb, void *base)
{
    if (fb->kind != BOOT_FB_RGB)
        return "not a linear framebuffer";
    if (fb->bpp != 24 && fb->bpp != 32)
        return "unsupported bits per pixel";
    if (!base || fb->width < 8 || fb->height < 16)
        return "framebuffer too small or missing";
    if ((uint64_t)fb->pitch < (uint64_t)fb->width * (fb->bpp / 8))
        return "pitch smaller than a line";
    if (fb->red_shift + fb->red_size > fb->bpp || fb->green_shift + fb->green_size > fb->bpp ||
        fb->blue_shift + fb->blue_size > fb->bpp)
        return "channel outside the pixel";
    s->base = base;
    s->width = fb->width;
    s->height = fb->height;
    s->pitch = fb->pitch;
    s->bpp = fb->bpp;
    s->red_size = fb->red_size;
    s->red_shift = fb->red_shift;
    s->green_size = fb->green_size;
    s->green_shift = fb->green_shift;
    s->blue_size = fb->blue_size;
    s->blue_shift = fb->blue_shift;
    return 0;
}

/* An 8-bit channel value scaled to `size` bits at `shift`. */
static uint32_t channel(uint32_t v8, uint8_t size, uint8_t shift)
{
    if (size == 0)
        return 0;
    uint32_t v = size >= 8 ? v8 << (size - 8) : v8 >> (8 - size);
    return v << shift;
}

static uint32_t channel_back(uint32_t pixel, uint8_t size, uint8_t shift)
{
    if (size == 0)
        return 0;
    uint32_t v = (pixel >> shift) & (size >= 32 ? ~0u : (1u << size) - 1);
    return size >= 8 ? v >> (size - 8) : v << (8 - size);
}

uint32_t fbs_color(const struct fb_surface *s, uint32_t rgb)
{
    return channel((rgb >> 16) & 0xff, s->red_size, s->red_shift) |
           channel((rgb >> 8) & 0xff, s->green_size, s->green_shift) |
           channel(rgb & 0xff, s->blue_size, s->blue_shift);
}

uint32_t fbs_rgb(const struct fb_surface *s, uint32_t pixel)
{
    return channel_back(pixel, s->red_size, s->red_shift) << 16 |
           channel_back(pixel, s->green_size, s->green_shift) << 8 |
           channel_back(pixel, s->blue_size, s->blue_shift);
}

static inline uint8_t *pixel_at(const struct fb_surface *s, uint32_t x, uint32_t y)
{
    return s->base + (uint64_t)y * s->pitch + (uint64_t)x * (s->bpp / 8);
}

static inline void store(const struct fb_surface *s, uint8_t *p, uint32_t pixel)
{
    if (s->bpp == 32 && ((uintptr_t)p & 3) == 0) {
        *(volatile uint32_t *)p = pixel;
        return;
    }
    p[0] = (uint8_t)pixel;
    p[1] = (uint8_t)(pixel >> 8);
    p[2] = (uint8_t)(pixel >> 16);
    if (s->bpp == 32)
        p[3] = (uint8_t)(pixel >> 24);
}

void fbs_put(const struct fb_surface *s, uint32_t x, uint32_t y, uint32_t pixel)
{
    if (x < s->width && y < s->height)
        store(s, pixel_at(s, x, y), pixel);
}

uint32_t fbs_get(const struct fb_surface *s, uint32_t x, uint32_t y)
{
    if (x >= s->width || y >= s->height)
        return 0;
    const volatile uint8_t *p = pixel_at(s, x, y);
    uint32_t v = p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    if (s->bpp == 32)
        v |= (uint32_t)p[3] << 24;
    return v;
}

void fbs_fill(const struct fb_surface *s, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t pixel)
{
    if (x >= s->width || y >= s->height)
        return;
    if (w > s->width - x)
        w = s->width - x;
    if (h > s->height - y)
        h = s->height - y;
    for (uint32_t j = 0; j < h; j++) {
        uint8_t *p = pixel_at(s, x, y + j);
        uint32_t i = 0;
        if (s->bpp == 32 && ((uintptr_t)p & 3) == 0) {
            /* two pixels per store: clearing a large screen is most of
             * the kernel's start-up time under emulation */
            if (((uintptr_t)p & 7) && i < w) {
                store(s, p, pixel);
                p += 4;
                i++;
            }
            uint64_t two = (uint64_t)pixel << 32 | pixel;
            for (; i + 2 <= w; i += 2, p += 8)
                *(volatile uint64_t *)p = two;
        }
        for (; i < w; i++, p += s->bpp / 8)
            store(s, p, pixel);
    }
}

void fbs_glyph(const struct fb_surface *s, const struct hy_font *f, uint32_t x, uint32_t y,
               unsigned char c, uint32_t fg, uint32_t bg)
{
    const uint8_t *g = font_glyph(f, c);
    for (uint32_t j = 0; j < f->height && y + j < s->height; j++) {
        if (x >= s->width)
            return;
        uint8_t *p = pixel_at(s, x, y + j);
        for (uint32_t i = 0; i < f->width && x + i < s->width; i++, p += s->bpp / 8)
            store(s, p, font_bit(f, g, i, j) ? fg : bg);
    }
}

void fbs_scroll(const struct fb_surface *s, uint32_t lines, uint32_t bg)
{
    if (lines >= s->height) {
        fbs_fill(s, 0, 0, s->width, s->height, bg);
        return;
    }
    uint64_t row_bytes = (uint64_t)s->width * (s->bpp / 8);
    for (uint32_t y = 0; y + lines < s->height; y++)
        memmove(pixel_at(s, 0, y), pixel_at(s, 0, y + lines), row_bytes);
    fbs_fill(s, 0, s->height - lines, s->width, lines, bg);
}

/* GOP pixel-format translation (see gop_logic.h). */
#include "gop_logic.h"

/* Position and width of a contiguous mask; -1 when empty or split. */
static int mask_field(uint32_t mask, uint8_t *shift, uint8_t *size)
{
    if (!mask) return -1;
    unsigned s = 0, n = 0;
    while (!(mask & 1)) { mask >>= 1; s++; }
    while (mask & 1) { mask >>= 1; n++; }
    if (mask) return -1;
    *shift = (uint8_t)s;
    *size = (uint8_t)n;
    return 0;
}

/* Bits per pixel implied by the masks: the highest bit used, rounded up
 * to whole bytes (the spec's own rule for PixelBitMask). */
static unsigned bitmask_bpp(const struct gop_mode_desc *m)
{
    uint32_t all = m->mask_r | m->mask_g | m->mask_b | m->mask_x;
    unsigned top = 0;
    while (all) { all >>= 1; top++; }
    return (top + 7) / 8 * 8;
}

static int describe(const struct gop_mode_desc *m, struct boot_framebuffer *fb)
{
    if (m->width == 0 || m->height == 0 || m->pixels_per_line < m->width) return -1;
    switch (m->format) {
    case GOPF_RGB:
        fb->bpp = 32;
        fb->red_shift = 0; fb->green_shift = 8; fb->blue_shift = 16;
        fb->red_size = fb->green_size = fb->blue_size = 8;
        return 0;
    case GOPF_BGR:
        fb->bpp = 32;
        fb->blue_shift = 0; fb->green_shift = 8; fb->red_shift = 16;
        fb->red_size = fb->green_size = fb->blue_size = 8;
        return 0;
    case GOPF_BITMASK: {
        if ((m->mask_r & m->mask_g) || (m->mask_r & m->mask_b) || (m->mask_g & m->mask_b))
            return -1;
        if (mask_field(m->mask_r, &fb->red_shift, &fb->red_size) ||
            mask_field(m->mask_g, &fb->green_shift, &fb->green_size) ||
            mask_field(m->mask_b, &fb->blue_shift, &fb->blue_size))
            return -1;
        unsigned bpp = bitmask_bpp(m);
        if (bpp != 24 && bpp != 32) return -1;   /* the kernel draws 24/32 bpp only */
        fb->bpp = (uint8_t)bpp;
        return 0;
    }
    default:
        return -1;   /* BltOnly or unknown: no framebuffer to hand over */
    }
}

int gop_mode_usable(const struct gop_mode_desc *m)
{
    struct boot_framebuffer fb;
    return describe(m, &fb) == 0;
}

int gop_fill_fb(const struct gop_mode_desc *m, uint64_t base, struct boot_framebuffer *fb)
{
    struct boot_framebuffer d = {0};
    if (describe(m, &d)) return -1;
    d.addr = base;
    d.kind = BOOT_FB_RGB;
    d.width = m->width;
    d.height = m->height;
    d.pitch = m->pixels_per_line * (d.bpp / 8);
    d.size = (uint64_t)d.pitch * m->height;
    *fb = d;
    return 0;
}

/* Picking and setting a VBE linear-framebuffer mode, or reporting the
 * VGA text screen (or nothing) when there is none. */
#ifndef HYBOOT_BIOS_VBE_H
#define HYBOOT_BIOS_VBE_H

#include <stdint.h>

#include "boot_info.h"

/* A candidate mode as the selection sees it. */
struct vbe_mode {
    uint16_t number;
    uint16_t width, height;
    uint8_t  bpp;
};

/* Index of the best mode in modes[0..n): with want_w/want_h (non-zero)
 * an exact size if there is one; otherwise the largest area not above
 * 1024x768. 32 bpp beats 24 bpp at the same size. -1 when none fits. */
int vbe_pick(const struct vbe_mode *modes, int n, uint32_t want_w, uint32_t want_h);

/* Sets the mode chosen for the resolution asked (0x0 = default) and
 * fills fb; falls back to VGA text or BOOT_FB_NONE. Returns a short
 * description for the progress line. */
const char *video_setup(uint32_t want_w, uint32_t want_h, struct boot_framebuffer *fb,
                        char *desc, unsigned desc_len);

#endif

/* GOP pixel-format translation, kept free of EFI headers so the host
 * unit tests can check it (tests/unit/test_uefi_gop.c). Which mode to
 * pick is common/video.c's job. */
#ifndef HYBOOT_UEFI_GOP_LOGIC_H
#define HYBOOT_UEFI_GOP_LOGIC_H

#include <stdint.h>
#include "boot_info.h"

/* EFI_GRAPHICS_PIXEL_FORMAT values (UEFI spec 12.9). */
#define GOPF_RGB      0   /* PixelRedGreenBlueReserved8BitPerColor: byte 0 red */
#define GOPF_BGR      1   /* PixelBlueGreenRedReserved8BitPerColor: byte 0 blue */
#define GOPF_BITMASK  2   /* PixelBitMask: masks below */
#define GOPF_BLT_ONLY 3   /* no linear framebuffer */

struct gop_mode_desc {
    uint32_t width, height;
    uint32_t format;             /* GOPF_* */
    uint32_t pixels_per_line;
    uint32_t mask_r, mask_g, mask_b, mask_x;   /* GOPF_BITMASK only */
};

/* Can the kernel draw on this mode (linear framebuffer, 24 or 32 bpp)? */
int gop_mode_usable(const struct gop_mode_desc *m);

/* Fills fb (kind BOOT_FB_RGB, channel shifts and sizes, pitch, size) for
 * mode m with its framebuffer at base. -1 when m is not usable. */
int gop_fill_fb(const struct gop_mode_desc *m, uint64_t base, struct boot_framebuffer *fb);

#endif

/* GOP pixel formats (uefi/gop_logic.c); the mode choice is
 * tests/unit/test_video.c's. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gop_logic.h"

static void test_formats(void)
{
    struct boot_framebuffer fb;
    struct gop_mode_desc m = { 1024, 768, GOPF_BGR, 1024, 0, 0, 0, 0 };
    CHECK(gop_fill_fb(&m, 0xc0000000, &fb) == 0 && fb.kind == BOOT_FB_RGB && fb.bpp == 32 &&
          fb.blue_shift == 0 && fb.green_shift == 8 && fb.red_shift == 16 &&
          fb.red_size == 8 && fb.green_size == 8 && fb.blue_size == 8, "BGR: blue in byte 0");
    CHECK(fb.addr == 0xc0000000 && fb.width == 1024 && fb.height == 768 && fb.pitch == 4096 &&
          fb.size == 4096ULL * 768, "geometry: pitch from pixels per scan line");

    m.format = GOPF_RGB;
    m.pixels_per_line = 1088;   /* padded lines */
    CHECK(gop_fill_fb(&m, 0x80000000, &fb) == 0 && fb.red_shift == 0 && fb.green_shift == 8 &&
          fb.blue_shift == 16 && fb.pitch == 1088 * 4 && fb.size == 1088ULL * 4 * 768, "RGB: red in byte 0, padded pitch");

    struct gop_mode_desc bm = { 800, 600, GOPF_BITMASK, 800, 0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000 };
    CHECK(gop_fill_fb(&bm, 0x1000, &fb) == 0 && fb.bpp == 32 && fb.red_shift == 16 &&
          fb.green_shift == 8 && fb.blue_shift == 0, "bitmask 8:8:8:8");
    struct gop_mode_desc b30 = { 800, 600, GOPF_BITMASK, 800, 0x3ff00000, 0x000ffc00, 0x000003ff, 0xc0000000 };
    CHECK(gop_fill_fb(&b30, 0x1000, &fb) == 0 && fb.bpp == 32 && fb.red_shift == 20 && fb.red_size == 10 &&
          fb.green_shift == 10 && fb.green_size == 10 && fb.blue_shift == 0 && fb.blue_size == 10,
          "bitmask 10:10:10");
    struct gop_mode_desc b24 = { 800, 600, GOPF_BITMASK, 800, 0x0000ff, 0x00ff00, 0xff0000, 0 };
    CHECK(gop_fill_fb(&b24, 0x1000, &fb) == 0 && fb.bpp == 24 && fb.pitch == 2400 &&
          fb.red_shift == 0 && fb.blue_shift == 16, "bitmask 24 bpp");
    struct gop_mode_desc b16 = { 800, 600, GOPF_BITMASK, 800, 0xf800, 0x07e0, 0x001f, 0 };
    CHECK(gop_fill_fb(&b16, 0x1000, &fb) == -1 && !gop_mode_usable(&b16), "16 bpp (5:6:5) is refused");
    struct gop_mode_desc split = { 800, 600, GOPF_BITMASK, 800, 0x00ff00ff, 0x0000ff00, 0xff000000, 0 };
    CHECK(gop_fill_fb(&split, 0x1000, &fb) == -1, "a non-contiguous mask is refused");
    struct gop_mode_desc overlap = { 800, 600, GOPF_BITMASK, 800, 0x00ffff00, 0x0000ff00, 0xff, 0 };
    CHECK(gop_fill_fb(&overlap, 0x1000, &fb) == -1, "overlapping masks are refused");
    struct gop_mode_desc zero = { 800, 600, GOPF_BITMASK, 800, 0, 0xff00, 0xff, 0 };
    CHECK(gop_fill_fb(&zero, 0x1000, &fb) == -1, "an empty mask is refused");

    struct gop_mode_desc bo = { 800, 600, GOPF_BLT_ONLY, 800, 0, 0, 0, 0 };
    CHECK(gop_fill_fb(&bo, 0, &fb) == -1 && !gop_mode_usable(&bo), "BltOnly has no framebuffer");
    struct gop_mode_desc odd = { 800, 600, 7, 800, 0, 0, 0, 0 };
    CHECK(gop_fill_fb(&odd, 0x1000, &fb) == -1, "unknown pixel format refused");
    struct gop_mode_desc narrow = { 800, 600, GOPF_BGR, 640, 0, 0, 0, 0 };
    CHECK(gop_fill_fb(&narrow, 0x1000, &fb) == -1, "scan line shorter than the width refused");
}

int main(void)
{
    test_formats();
    return check_exit();
}

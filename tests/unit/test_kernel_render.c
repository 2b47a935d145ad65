/* The kernel's framebuffer renderer and text console, on host memory:
 * exact bytes for RGB and BGR layouts at 24 and 32 bpp with a pitch that
 * is not width * bytes-per-pixel, clipping, padding left untouched, text
 * layout, wrapping and scrolling (framebuffer and VGA text). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fbrender.h"
#include "font.h"
#include "textcon.h"

#define CANARY 0xee

static struct fb_surface surface(uint8_t *buf, uint32_t w, uint32_t h, uint32_t pitch, uint32_t bpp, int bgr)
{
    struct fb_surface s = { 0 };
    s.base = buf;
    s.width = w;
    s.height = h;
    s.pitch = pitch;
    s.bpp = bpp;
    s.red_size = s.green_size = s.blue_size = 8;
    s.red_shift = bgr ? 0 : 16;
    s.green_shift = 8;
    s.blue_shift = bgr ? 16 : 0;
    return s;
}

/* The bytes one pixel of colour 0xRRGGBB must have in memory. */
static void want_bytes(uint32_t rgb, uint32_t bpp, int bgr, uint8_t out[4])
{
    uint8_t r = rgb >> 16, g = rgb >> 8, b = rgb;
    out[0] = bgr ? r : b;
    out[1] = g;
    out[2] = bgr ? b : r;
    out[3] = 0;
    (void)bpp;
}

/* Draws "Hi" at (x0, y0) in a small buffer and checks every byte of the
 * buffer against the font bits (computed independently of fbrender). */
static int render_case(uint32_t bpp, int bgr, uint32_t x0, uint32_t y0)
{
    const uint32_t W = 21, H = 19, Bpp = bpp / 8;
    const uint32_t pitch = W * Bpp + 7; /* odd padding: never width * Bpp */
    uint8_t *buf = malloc((size_t)pitch * H);
    memset(buf, CANARY, (size_t)pitch * H);
    struct fb_surface s = surface(buf, W, H, pitch, bpp, bgr);
    const uint32_t fg = 0x123456, bg = 0x9abcde;
    const char *text = "Hi";
    for (int i = 0; text[i]; i++)
        fbs_glyph(&s, &hy_font_8x16, x0 + 8 * i, y0, (unsigned char)text[i], fbs_color(&s, fg), fbs_color(&s, bg));

    uint8_t fgb[4], bgb[4];
    want_bytes(fg, bpp, bgr, fgb);
    want_bytes(bg, bpp, bgr, bgb);
    int ok = 1;
    for (uint32_t y = 0; y < H && ok; y++) {
        for (uint32_t off = 0; off < pitch && ok; off++) {
            uint8_t got = buf[y * pitch + off];
            uint32_t x = off / Bpp, byte = off % Bpp;
            uint8_t want = CANARY;
            if (x < W && off < W * Bpp && x >= x0 && x < x0 + 16 && y >= y0 && y < y0 + 16) {
                unsigned char ch = (unsigned char)text[(x - x0) / 8];
                uint8_t row = hy_font_8x16.glyphs[ch * 16 + (y - y0)];
                int set = (row >> (7 - (x - x0) % 8)) & 1;
                want = set ? fgb[byte] : bgb[byte];
            }
            if (got != want) {
                printf("    bpp %u %s at (%u,%u) byte %u: got 0x%02x want 0x%02x\n", bpp, bgr ? "BGR" : "RGB", x,
                       y, byte, got, want);
                ok = 0;
            }
        }
    }
    free(buf);
    return ok;
}

static void test_render(void)
{
    /* the font really is the console font: 'H' rows 2..11 are c6 c6 c6 c6 fe c6 ... */
    const uint8_t *H = font_glyph(&hy_font_8x16, 'H');
    CHECK(hy_font_8x16.width == 8 && hy_font_8x16.height == 16 && hy_font_8x16.count == 256, "font is 8x16, 256 glyphs");
    CHECK(H[2] == 0xc6 && H[6] == 0xfe && H[0] == 0 && H[15] == 0, "font glyph 'H' has the expected rows");
    CHECK(font_glyph(&hy_font_8x16, 'A') != font_glyph(&hy_font_8x16, 'B'), "font glyphs differ");
    int blank = 1;
    for (int i = 0; i < 16; i++)
        blank &= font_glyph(&hy_font_8x16, ' ')[i] == 0;
    CHECK(blank, "font space is blank");

    CHECK(render_case(32, 0, 2, 1), "render \"Hi\" 32bpp RGB, pitch != width*4, offset, clipped");
    CHECK(render_case(32, 1, 2, 1), "render \"Hi\" 32bpp BGR");
    CHECK(render_case(24, 0, 3, 2), "render \"Hi\" 24bpp RGB, odd pitch (unaligned pixels)");
    CHECK(render_case(24, 1, 0, 0), "render \"Hi\" 24bpp BGR");
    CHECK(render_case(32, 0, 19, 17), "render clipped at right and bottom edges");

    /* explicit bytes for one known set pixel: 'H' row 6 (0xfe) pixel 0 */
    uint8_t buf[64 * 16];
    struct fb_surface s = surface(buf, 8, 16, 40, 32, 0);
    memset(buf, 0, sizeof buf);
    fbs_glyph(&s, &hy_font_8x16, 0, 0, 'H', fbs_color(&s, 0x112233), fbs_color(&s, 0));
    CHECK(buf[6 * 40 + 0] == 0x33 && buf[6 * 40 + 1] == 0x22 && buf[6 * 40 + 2] == 0x11 && buf[6 * 40 + 3] == 0,
          "32bpp RGB pixel bytes are B G R X in memory");
    CHECK(buf[6 * 40 + 7 * 4] == 0, "'H' row 6 pixel 7 is background");
    s = surface(buf, 8, 16, 27, 24, 1);
    memset(buf, 0, sizeof buf);
    fbs_glyph(&s, &hy_font_8x16, 0, 0, 'H', fbs_color(&s, 0x112233), fbs_color(&s, 0));
    CHECK(buf[6 * 27 + 0] == 0x11 && buf[6 * 27 + 1] == 0x22 && buf[6 * 27 + 2] == 0x33 && buf[6 * 27 + 3] == 0x11,
          "24bpp BGR pixel bytes are R G B, next pixel follows at +3");

    /* channel sizes other than 8 bits */
    struct fb_surface deep = surface(buf, 1, 1, 4, 32, 0);
    deep.red_size = deep.green_size = deep.blue_size = 10;
    deep.red_shift = 20;
    deep.green_shift = 10;
    deep.blue_shift = 0;
    CHECK(fbs_color(&deep, 0xff0080) == (0x3fcu << 20 | 0x200u), "10-bit channels scale up");
    CHECK(fbs_rgb(&deep, fbs_color(&deep, 0x804020)) == 0x804020, "10-bit channels round-trip");
    struct fb_surface rgb = surface(buf, 1, 1, 4, 32, 0);
    CHECK(fbs_rgb(&rgb, fbs_color(&rgb, 0xa1b2c3)) == 0xa1b2c3, "8-bit round-trip");

    /* fills: every alignment of row starts and widths (pitch 4*W+4 moves
     * each row's start by 4 bytes), only the rectangle written */
    {
        const uint32_t W = 13, Hh = 6, P = W * 4 + 4;
        uint8_t *fb = malloc(P * Hh + 4);
        int fill_ok = 1;
        for (uint32_t x0 = 0; x0 < 4 && fill_ok; x0++)
            for (uint32_t w = 0; w <= W - x0 && fill_ok; w++) {
                memset(fb, CANARY, P * Hh + 4);
                struct fb_surface t = surface(fb + 4 * (x0 & 1), W, Hh, P, 32, 0);
                fbs_fill(&t, x0, 1, w, Hh - 2, 0x01020304);
                for (uint32_t y = 0; y < Hh; y++)
                    for (uint32_t x = 0; x < W; x++) {
                        uint32_t v = fbs_get(&t, x, y);
                        int in = x >= x0 && x < x0 + w && y >= 1 && y < Hh - 1;
                        if (v != (in ? 0x01020304u : 0xeeeeeeeeu))
                            fill_ok = 0;
                    }
            }
        CHECK(fill_ok, "fill writes exactly its rectangle at every alignment (32 bpp)");
        free(fb);
    }

    /* boot_info description -> surface */
    struct boot_framebuffer fb = { 0x1000, BOOT_FB_RGB, 1024, 768, 4096, 32, 8, 16, 8, 8, 8, 0, 0, 4096 * 768 };
    CHECK(fbs_from_boot(&s, &fb, buf) == NULL && s.pitch == 4096 && s.red_shift == 16, "fbs_from_boot accepts 32bpp");
    fb.pitch = 1000;
    CHECK(fbs_from_boot(&s, &fb, buf) != NULL, "fbs_from_boot refuses pitch < width*Bpp");
    fb.pitch = 4096;
    fb.bpp = 16;
    CHECK(fbs_from_boot(&s, &fb, buf) != NULL, "fbs_from_boot refuses 16bpp");
    fb.bpp = 24;
    fb.red_shift = 20;
    CHECK(fbs_from_boot(&s, &fb, buf) != NULL, "fbs_from_boot refuses a channel outside the pixel");
}

/* Does the framebuffer cell (col,row) show character c (fg on bg)? */
static int cell_shows(const struct textcon *tc, uint32_t col, uint32_t row, char c)
{
    const uint8_t *g = font_glyph(tc->font, (unsigned char)c);
    for (uint32_t y = 0; y < 16; y++)
        for (uint32_t x = 0; x < 8; x++) {
            uint32_t px = fbs_get(&tc->fb, col * 8 + x, row * 16 + y);
            uint32_t want = font_bit(tc->font, g, x, y) ? tc->fg_px : tc->bg_px;
            if (px != want)
                return 0;
        }
    return 1;
}

static void test_console_fb(void)
{
    /* 3 columns x 2 rows of text, plus 5 spare pixel columns and 7 rows */
    const uint32_t W = 29, Hh = 39, pitch = W * 4 + 12;
    uint8_t *buf = malloc(pitch * Hh);
    memset(buf, CANARY, pitch * Hh);
    struct fb_surface s = surface(buf, W, Hh, pitch, 32, 1);
    struct textcon tc;
    tc_init_fb(&tc, &s, &hy_font_8x16, 0xffffff, 0x000080);
    CHECK(tc.cols == 3 && tc.rows == 2, "console size from surface and font");
    CHECK(fbs_get(&s, W - 1, Hh - 1) == fbs_color(&s, 0x000080) && buf[W * 4] == CANARY,
          "console init clears the surface, not the padding");

    tc_write(&tc, "ab", 2);
    CHECK(cell_shows(&tc, 0, 0, 'a') && cell_shows(&tc, 1, 0, 'b') && cell_shows(&tc, 2, 0, ' '), "console writes left to right");
    tc_write(&tc, "cd", 2);
    CHECK(cell_shows(&tc, 2, 0, 'c') && cell_shows(&tc, 0, 1, 'd') && tc.row == 1 && tc.col == 1, "console wraps at the last column");
    tc_write(&tc, "\nxy", 3);
    CHECK(cell_shows(&tc, 0, 0, 'd') && cell_shows(&tc, 0, 1, 'x') && cell_shows(&tc, 1, 1, 'y') &&
              cell_shows(&tc, 1, 0, ' '),
          "console scrolls up one text row at the bottom");
    tc_write(&tc, "\rZ", 2);
    CHECK(cell_shows(&tc, 0, 1, 'Z') && cell_shows(&tc, 1, 1, 'y'), "carriage return goes to column 0");
    tc_write(&tc, "\b\bQ", 3);
    CHECK(cell_shows(&tc, 0, 1, 'Q'), "backspace moves left, stops at column 0");
    int pad_ok = 1;
    for (uint32_t y = 0; y < Hh; y++)
        for (uint32_t k = W * 4; k < pitch; k++)
            pad_ok &= buf[y * pitch + k] == CANARY;
    CHECK(pad_ok, "scrolling never touches the pitch padding");

    tc_set_colors(&tc, 0xff0000, 0x000000);
    tc_write(&tc, "\n!", 2);
    CHECK(cell_shows(&tc, 0, 1, '!') && fbs_rgb(&s, tc.fg_px) == 0xff0000, "colour change applies to new text");

    tc_clear(&tc);
    tc_write(&tc, "\tX", 2);
    CHECK(tc.row == 1 && tc.col == 1 && cell_shows(&tc, 0, 1, 'X') && cell_shows(&tc, 2, 0, ' '),
          "tab stops at the end of a short line");
    tc_init_vga(&tc, (uint16_t[40 * 2]){ 0 }, 40, 2, 0xaaaaaa, 0);
    tc_write(&tc, "ab\tc\t\td", 7);
    CHECK((tc.vga[8] & 0xff) == 'c' && (tc.vga[24] & 0xff) == 'd' && tc.col == 25, "tab advances to multiples of 8");
    free(buf);
}

static void test_console_vga(void)
{
    uint16_t cells[4 * 3];
    struct textcon tc;
    tc_init_vga(&tc, cells, 4, 3, 0xaaaaaa, 0x000000);
    CHECK(cells[0] == 0x0720 && cells[11] == 0x0720, "VGA clear: spaces, attribute 0x07");
    tc_write(&tc, "Hello World!", 12);
    CHECK((cells[0] & 0xff) == 'H' && (cells[3] & 0xff) == 'l' && (cells[4] & 0xff) == 'o' &&
              (cells[11] & 0xff) == '!' && cells[0] >> 8 == 0x07,
          "VGA text fills cells row by row");
    tc_write(&tc, "\nab", 3);
    CHECK((cells[0] & 0xff) == 'o' && (cells[4] & 0xff) == 'r' && (cells[8] & 0xff) == 'a' &&
              (cells[9] & 0xff) == 'b' && (cells[10] & 0xff) == ' ',
          "VGA text scrolls and blanks the new row");
    tc_set_colors(&tc, 0xffffff, 0x0000aa);
    tc_putc(&tc, 'c');
    CHECK(cells[10] == (0x1f << 8 | 'c'), "VGA attribute from colours (white on blue = 0x1f)");
    CHECK(tc_vga_color(0xff5555) == 12 && tc_vga_color(0) == 0 && tc_vga_color(0xc0c0c0) == 7,
          "nearest VGA palette colour");

    struct textcon none;
    tc_init_none(&none);
    tc_write(&none, "ignored\n", 8);
    CHECK(none.kind == TC_NONE && none.col == 0, "console without a screen does nothing");
}

int main(void)
{
    test_render();
    test_console_fb();
    test_console_vga();
    return check_exit();
}

/* fbcheck: is this text visible in this screenshot?
 *
 *   fbcheck SCREEN.ppm "Hello World!"
 *
 * Renders the text with the kernel's own font and renderer
 * (kernel/fbrender.c, build/kernel/font.c) into a 1-bit mask and looks
 * for a place in the P6 PPM (what QEMU's `screendump` writes) where every
 * foreground pixel of the mask is brighter than every background pixel.
 * That tolerates whatever colours the kernel picked, but not a different
 * font, size or spelling. Exit 0 and print "found at X,Y", or 1.
 *
 * Character cells are tried 8 pixels wide (the kernel's framebuffer
 * console), then 9 (VGA text mode as QEMU draws it: 720x400, the same
 * glyph shapes with a blank ninth column). --cell-width N tries only N. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbrender.h"
#include "font.h"

static int read_token(FILE *f, char *buf, size_t n)
{
    int c;
    size_t k = 0;
    for (;;) { /* skip white space and comments */
        c = fgetc(f);
        if (c == '#') {
            while (c != '\n' && c != EOF)
                c = fgetc(f);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
    }
    while (c != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r' && k + 1 < n) {
        buf[k++] = (char)c;
        c = fgetc(f);
    }
    buf[k] = 0;
    return k > 0 ? 0 : -1; /* the single white space after maxval is consumed here */
}

/* Brightness (r + g + b, 0..765) of every pixel of a P6 PPM. */
static uint16_t *load_ppm(const char *path, uint32_t *w, uint32_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    char t[4][32];
    for (int i = 0; i < 4; i++) {
        if (read_token(f, t[i], sizeof t[i])) {
            fprintf(stderr, "fbcheck: %s: truncated header\n", path);
            fclose(f);
            return NULL;
        }
    }
    long maxval = atol(t[3]);
    *w = (uint32_t)atol(t[1]);
    *h = (uint32_t)atol(t[2]);
    if (strcmp(t[0], "P6") || maxval <= 0 || maxval > 65535 || *w == 0 || *h == 0 || *w > 16384 ||
        *h > 16384) {
        fprintf(stderr, "fbcheck: %s: not a P6 PPM this tool reads\n", path);
        fclose(f);
        return NULL;
    }
    size_t bps = maxval > 255 ? 2 : 1, n = (size_t)*w * *h;
    uint8_t *raw = malloc(n * 3 * bps);
    uint16_t *lum = malloc(n * sizeof *lum);
    if (!raw || !lum || fread(raw, 3 * bps, n, f) != n) {
        fprintf(stderr, "fbcheck: %s: short pixel data\n", path);
        free(raw);
        free(lum);
        fclose(f);
        return NULL;
    }
    fclose(f);
    for (size_t i = 0; i < n; i++) {
        uint32_t s = 0;
        for (int c = 0; c < 3; c++)
            s += bps == 2 ? (uint32_t)(raw[(i * 3 + c) * 2] << 8 | raw[(i * 3 + c) * 2 + 1]) * 255 / maxval
                          : (uint32_t)raw[i * 3 + c] * 255 / maxval;
        lum[i] = (uint16_t)s;
    }
    free(raw);
    return lum;
}

/* Looks for text drawn with cells cell_w pixels wide; 1 and the
 * position when found. */
static int search(const uint16_t *lum, uint32_t W, uint32_t H, const char *text, uint32_t cell_w,
                  uint32_t *fx, uint32_t *fy)
{
    /* the mask: the text drawn by the kernel's renderer, white on black,
     * into a 32 bpp buffer */
    const struct hy_font *font = &hy_font_8x16;
    size_t len = strlen(text);
    uint32_t mw = (uint32_t)len * cell_w, mh = font->height;
    if (mw > W || mh > H)
        return 0;
    struct fb_surface s = { 0 };
    s.width = mw;
    s.height = mh;
    s.pitch = mw * 4;
    s.bpp = 32;
    s.red_size = s.green_size = s.blue_size = 8;
    s.red_shift = 16;
    s.green_shift = 8;
    s.blue_shift = 0;
    s.base = calloc((size_t)s.pitch, mh);
    size_t total = (size_t)mw * mh;
    uint32_t *fg = malloc(total * sizeof *fg), *bg = malloc(total * sizeof *bg);
    uint32_t *order = malloc(total * sizeof *order);
    uint8_t *is_fg = malloc(total);
    if (!s.base || !fg || !bg || !order || !is_fg) {
        fprintf(stderr, "fbcheck: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < len; i++)
        fbs_glyph(&s, font, (uint32_t)i * cell_w, 0, (unsigned char)text[i], fbs_color(&s, 0xffffff),
                  fbs_color(&s, 0));

    /* sample order: alternate foreground and background pixels, so most
     * wrong positions are rejected after a handful of comparisons */
    size_t nfg = 0, nbg = 0;
    for (uint32_t y = 0; y < mh; y++)
        for (uint32_t x = 0; x < mw; x++) {
            uint32_t off = y * W + x; /* offset in the screenshot */
            if (fbs_get(&s, x, y))
                fg[nfg++] = off;
            else
                bg[nbg++] = off;
        }
    int found = 0;
    if (nfg && nbg) {
        for (size_t i = 0, f = 0, b = 0; i < total; i++) {
            int take_fg = (i % 2 == 0 && f < nfg) || b == nbg;
            order[i] = take_fg ? fg[f++] : bg[b++];
            is_fg[i] = (uint8_t)take_fg;
        }
        for (uint32_t y = 0; y + mh <= H && !found; y++) {
            for (uint32_t x = 0; x + mw <= W && !found; x++) {
                const uint16_t *base = lum + (size_t)y * W + x;
                int min_fg = 1 << 20, max_bg = -1;
                size_t i;
                for (i = 0; i < total; i++) {
                    int v = base[order[i]];
                    if (is_fg[i]) {
                        if (v < min_fg) min_fg = v;
                    } else if (v > max_bg) {
                        max_bg = v;
                    }
                    if (max_bg >= min_fg)
                        break;
                }
                if (i == total) {
                    found = 1;
                    *fx = x;
                    *fy = y;
                }
            }
        }
    }
    free(s.base);
    free(fg);
    free(bg);
    free(order);
    free(is_fg);
    return found;
}

int main(int argc, char **argv)
{
    uint32_t cell_w = 0; /* 0: try 8 (framebuffer), then 9 (VGA text as QEMU draws it) */
    int a = 1;
    if (a + 1 < argc && strcmp(argv[a], "--cell-width") == 0) {
        cell_w = (uint32_t)atoi(argv[a + 1]);
        a += 2;
        if (cell_w < hy_font_8x16.width || cell_w > 64)
            argc = 0;
    }
    if (argc - a != 2) {
        fprintf(stderr, "usage: fbcheck [--cell-width N] SCREEN.ppm TEXT\n");
        return 2;
    }
    const char *path = argv[a], *text = argv[a + 1];
    size_t len = strlen(text);
    if (len == 0 || len > 200) {
        fprintf(stderr, "fbcheck: text must be 1..200 characters\n");
        return 2;
    }
    int blank = 1;
    for (size_t i = 0; i < len; i++)
        blank &= text[i] == ' ';
    if (blank) {
        fprintf(stderr, "fbcheck: text renders to no pixels\n");
        return 2;
    }

    uint32_t W, H;
    uint16_t *lum = load_ppm(path, &W, &H);
    if (!lum)
        return 2;
    uint32_t widths[2] = { cell_w ? cell_w : hy_font_8x16.width, 9 };
    for (int k = 0; k < (cell_w ? 1 : 2); k++) {
        uint32_t x, y;
        if (search(lum, W, H, text, widths[k], &x, &y)) {
            printf("fbcheck: \"%s\" found at %u,%u in %s (%ux%u)%s\n", text, x, y, path, W, H,
                   widths[k] != hy_font_8x16.width ? " with 9-pixel cells (VGA text)" : "");
            free(lum);
            return 0;
        }
    }
    printf("fbcheck: \"%s\" not found in %s (%ux%u)\n", text, path, W, H);
    free(lum);
    return 1;
}

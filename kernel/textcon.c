/* Text layout and scrolling for the kernel's console (see textcon.h). */
#include "textcon.h"

#include "mem.h"

/* The 16 CGA/VGA text colours, in attribute order. */
static const uint32_t vga_palette[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
    0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

uint8_t tc_vga_color(uint32_t rgb)
{
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    uint8_t best = 0;
    uint32_t best_d = ~0u;
    for (uint8_t i = 0; i < 16; i++) {
        int dr = r - (int)((vga_palette[i] >> 16) & 0xff);
        int dg = g - (int)((vga_palette[i] >> 8) & 0xff);
        int db = b - (int)(vga_palette[i] & 0xff);
        uint32_t d = (uint32_t)(dr * dr + dg * dg + db * db);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

void tc_init_none(struct textcon *tc)
{
    memset(tc, 0, sizeof *tc);
    tc->kind = TC_NONE;
}

void tc_set_colors(struct textcon *tc, uint32_t fg, uint32_t bg)
{
    if (tc->kind == TC_FB) {
        tc->fg_px = fbs_color(&tc->fb, fg);
        tc->bg_px = fbs_color(&tc->fb, bg);
    }
    /* VGA background attributes have 3 bits (bit 7 may mean blink) */
    tc->attr = (uint8_t)(tc_vga_color(fg) | (tc_vga_color(bg) & 7) << 4);
}

void tc_init_fb(struct textcon *tc, const struct fb_surface *s, const struct hy_font *f,
                uint32_t fg, uint32_t bg)
{
    memset(tc, 0, sizeof *tc);
    tc->kind = TC_FB;
    tc->fb = *s;
    tc->font = f;
    tc->cols = s->width / f->width;
    tc->rows = s->height / f->height;
    tc_set_colors(tc, fg, bg);
    tc_clear(tc);
}

void tc_init_vga(struct textcon *tc, uint16_t *cells, uint32_t cols, uint32_t rows,
                 uint32_t fg, uint32_t bg)
{
    memset(tc, 0, sizeof *tc);
    tc->kind = TC_VGA;
    tc->vga = cells;
    tc->cols = cols;
    tc->rows = rows;
    tc_set_colors(tc, fg, bg);
    tc_clear(tc);
}

static uint16_t vga_cell(const struct textcon *tc, char c)
{
    return (uint16_t)((uint8_t)c | tc->attr << 8);
}

void tc_clear(struct textcon *tc)
{
    if (tc->kind == TC_FB) {
        fbs_fill(&tc->fb, 0, 0, tc->fb.width, tc->fb.height, tc->bg_px);
    } else if (tc->kind == TC_VGA) {
        volatile uint16_t *v = tc->vga;
        for (uint32_t i = 0; i < tc->cols * tc->rows; i++)
            v[i] = vga_cell(tc, ' ');
    }
    tc->col = tc->row = 0;
}

static void draw(struct textcon *tc, uint32_t col, uint32_t row, char c)
{
    if (tc->kind == TC_FB) {
        fbs_glyph(&tc->fb, tc->font, col * tc->font->width, row * tc->font->height,
                  (unsigned char)c, tc->fg_px, tc->bg_px);
    } else if (tc->kind == TC_VGA) {
        volatile uint16_t *v = tc->vga;
        v[row * tc->cols + col] = vga_cell(tc, c);
    }
}

/* One text row up; the last row becomes blank. */
static void scroll(struct textcon *tc)
{
    if (tc->kind == TC_FB) {
        fbs_scroll(&tc->fb, tc->font->height, tc->bg_px);
        /* pixel rows below the last full text row keep what they had:
         * clear them too so nothing half-scrolled lingers there */
        uint32_t used = tc->rows * tc->font->height;
        if (used < tc->fb.height)
            fbs_fill(&tc->fb, 0, used, tc->fb.width, tc->fb.height - used, tc->bg_px);
    } else if (tc->kind == TC_VGA) {
        volatile uint16_t *v = tc->vga;
        for (uint32_t i = 0; i < (tc->rows - 1) * tc->cols; i++)
            v[i] = v[i + tc->cols];
        for (uint32_t i = 0; i < tc->cols; i++)
            v[(tc->rows - 1) * tc->cols + i] = vga_cell(tc, ' ');
    }
}

static void newline(struct textcon *tc)
{
    tc->col = 0;
    if (tc->row + 1 < tc->rows) {
        tc->row++;
    } else {
        scroll(tc);
    }
}

void tc_putc(struct textcon *tc, char c)
{
    if (tc->kind == TC_NONE || tc->cols == 0 || tc->rows == 0)
        return;
    switch (c) {
    case '\n':
        newline(tc);
        return;
    case '\r':
        tc->col = 0;
        return;
    case '\t': {
        /* to the next multiple of 8, never past the end of the line */
        if (tc->col >= tc->cols)
            newline(tc);
        uint32_t next = (tc->col / 8 + 1) * 8;
        if (next > tc->cols)
            next = tc->cols;
        while (tc->col < next)
            tc_putc(tc, ' ');
        return;
    }
    case '\b':
        if (tc->col > 0)
            tc->col--;
        return;
    default:
        break;
    }
    if (tc->col >= tc->cols)
        newline(tc);
    draw(tc, tc->col, tc->row, c);
    tc->col++;
}

void tc_write(struct textcon *tc, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tc_putc(tc, s[i]);
}

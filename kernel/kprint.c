/* Kernel output to serial and screen (see kprint.h). */
#include "kprint.h"

#include <stdarg.h>

#include "fmt.h"
#include "io.h"
#include "serial.h"

static struct textcon con;

const char *kprint_init_screen(const struct boot_framebuffer *fb)
{
    tc_init_none(&con);
    if (fb->kind == BOOT_FB_RGB) {
        struct fb_surface s;
        const char *why = fbs_from_boot(&s, fb, (void *)(uintptr_t)fb->addr);
        if (why)
            return why;
        /* identity-mapped by the loader (docs/protocol.md) */
        tc_init_fb(&con, &s, &hy_font_8x16, KCOLOR_TEXT, KCOLOR_BG);
    } else if (fb->kind == BOOT_FB_VGA_TEXT) {
        uint64_t addr = fb->addr ? fb->addr : 0xb8000;
        uint32_t cols = fb->width ? fb->width : 80, rows = fb->height ? fb->height : 25;
        if (cols > 256 || rows > 128)
            return "VGA text size out of range";
        tc_init_vga(&con, (uint16_t *)(uintptr_t)addr, cols, rows, KCOLOR_TEXT, KCOLOR_BG);
        /* hide the blinking hardware cursor (CRTC cursor start, bit 5) */
        outb(0x3d4, 0x0a);
        outb(0x3d5, 0x20);
    } else if (fb->kind != BOOT_FB_NONE) {
        return "unknown framebuffer kind";
    }
    return 0;
}

void kprint_serial_only(void)
{
    con.kind = TC_NONE;
}

void kprint_set_color(uint32_t rgb)
{
    tc_set_colors(&con, rgb, KCOLOR_BG);
}

struct textcon *kprint_console(void)
{
    return &con;
}

void kputs(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    serial_write(s, n);
    tc_write(&con, s, n);
}

void kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf) /* too long: show it was cut */
        buf[sizeof buf - 2] = '\n';
    kputs(buf);
}

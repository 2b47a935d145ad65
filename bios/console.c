#include "console.h"

#include <stdint.h>

#include "bioscall.h"
#include "io.h"
#include "loader.h"
#include "mem.h"
#include "serial.h"

#define VGA_TEXT   ((volatile uint16_t *)0xb8000)
#define VGA_COLS   80
#define VGA_ROWS   25
#define VGA_ATTR   0x0700             /* light grey on black */
#define BDA_CURSOR ((volatile uint8_t *)0x450)   /* page 0: column, row */

static int vga_ok;                    /* text memory answers */
static int graphics;                  /* a VBE mode is set: hands off the screen */
static unsigned col, row;

int con_has_vga_text(void) { return vga_ok; }
void con_graphics_mode(int on) { graphics = on; }

/* INT 10h AX=1A00h (display combination code) answers AL=1Ah on every
 * VGA BIOS. Without a VGA option ROM (QEMU -vga none) the firmware's
 * stub leaves AX alone. */
static int vga_bios_present(void)
{
    struct bios_regs r = { .eax = 0x1a00, .ebx = 0xffff };
    bios_call(0x10, &r);
    uint8_t active = r.ebx & 0xff;
    return (r.eax & 0xff) == 0x1a && (active == 0x07 || active == 0x08);
}

/* An offscreen cell of the 32 KiB text buffer must hold what we write
 * (a VGA BIOS without the memory would be a strange card indeed). */
static int probe_vga_memory(void)
{
    volatile uint16_t *cell = VGA_TEXT + 0x3ff0;
    uint16_t saved = *cell;
    *cell = 0x5aa5;
    int ok = *cell == 0x5aa5;
    *cell = 0xa55a;
    ok = ok && *cell == 0xa55a;
    *cell = saved;
    return ok;
}

static void vga_cursor_sync(void)
{
    BDA_CURSOR[0] = (uint8_t)col;
    BDA_CURSOR[1] = (uint8_t)row;
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(0x3d4, 0x0f);
    outb(0x3d5, pos & 0xff);
    outb(0x3d4, 0x0e);
    outb(0x3d5, pos >> 8);
}

static void vga_putc(char c)
{
    if (c == '\n') {
        col = 0;
        row++;
    } else if (c != '\r') {
        VGA_TEXT[row * VGA_COLS + col] = (uint16_t)(VGA_ATTR | (uint8_t)c);
        if (++col == VGA_COLS) {
            col = 0;
            row++;
        }
    }
    if (row == VGA_ROWS) {
        for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
            VGA_TEXT[i] = VGA_TEXT[i + VGA_COLS];
        for (unsigned i = 0; i < VGA_COLS; i++)
            VGA_TEXT[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
        row = VGA_ROWS - 1;
    }
}

void con_init(void)
{
    serial_init();
    vga_ok = vga_bios_present() && probe_vga_memory();
    /* A BIOS that left a graphics splash (or any non-80x25 mode) up
     * would hide our lines: switch to mode 3 first. */
    uint8_t mode = *(volatile uint8_t *)0x449 & 0x7f;
    if (vga_ok && mode != 2 && mode != 3) {
        struct bios_regs r = { .eax = 0x0003 };
        bios_call(0x10, &r);
    }
    /* continue below whatever the BIOS (and stage1) printed */
    col = BDA_CURSOR[0] < VGA_COLS ? BDA_CURSOR[0] : 0;
    row = BDA_CURSOR[1] < VGA_ROWS ? BDA_CURSOR[1] : VGA_ROWS - 1;
    if (col) {
        col = 0;
        vga_putc('\n');
    }
}

static void out(const char *s)
{
    serial_puts(s);
    if (vga_ok && !graphics) {
        for (; *s; s++)
            vga_putc(*s);
        vga_cursor_sync();
    }
}

static void line(const char *prefix, const char *text)
{
    out(prefix);
    out(text);
    out("\n");
}

void plat_verbose(int on)
{
    (void)on;                  /* VGA text memory is cheap: always on */
}

void plat_say(const char *text)
{
    line("hyboot: ", text);
}

void plat_fail(const char *text)
{
    if (graphics && vga_ok) {
        struct bios_regs r = { .eax = 0x0003 };   /* back to 80x25 text */
        bios_call(0x10, &r);
        graphics = 0;
        col = row = 0;
    }
    line("hyboot: error: ", text);
    for (;;)
        __asm__ volatile("cli; hlt");
}

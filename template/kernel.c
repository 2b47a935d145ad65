/* A kernel to start from: hyboot hands it a struct boot_info (see
 * boot_info.h and docs/protocol.md in hyboot); it prints a hello, the
 * memory map and the modules on COM1 and on the screen, then halts.
 *
 * At entry: 64-bit mode, paging on (all RAM identity-mapped, so the
 * physical addresses in boot_info are usable pointers; with protocol v2
 * also at bi->hhdm_offset + phys), interrupts off, rdi = boot_info,
 * rsp 16-byte aligned on a 64 KiB stack. */
#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"

void kmain(const struct boot_info *bi);

/* The C calling convention expects rsp = 16n + 8 at a function's first
 * instruction (the call pushed a return address); hyboot jumps with
 * rsp = 16n, so one call puts it right. */
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "    call kmain\n"
        "1:  cli\n"
        "    hlt\n"
        "    jmp 1b\n");

/* The compiler may call these for struct copies even in freestanding
 * code (and would turn a plain C loop here back into a call to itself). */
void *memset(void *d, int c, size_t n)
{
    void *p = d;
    __asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
    return d;
}

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    void *p = d;
    __asm__ volatile("rep movsb" : "+D"(p), "+S"(s), "+c"(n) : : "memory");
    return d;
}

/* ---- COM1, 115200 8N1 ----------------------------------------------------- */

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void serial_init(void)
{
    outb(0x3f9, 0x00); /* no interrupts */
    outb(0x3fb, 0x80); /* divisor latch */
    outb(0x3f8, 0x01); /* 115200 baud */
    outb(0x3f9, 0x00);
    outb(0x3fb, 0x03); /* 8N1 */
    outb(0x3fa, 0xc7); /* FIFO on */
}

static void serial_putc(char c)
{
    while (!(inb(0x3fd) & 0x20)) /* transmitter ready */
        ;
    outb(0x3f8, (uint8_t)c);
}

/* ---- the screen: a linear framebuffer or VGA text ------------------------- */

/* The font: Debian's console-data default8x16.psf (PSF1: 4-byte header,
 * 256 glyphs of 16 rows, one byte per row), linked in by the Makefile. */
extern const uint8_t _binary_font_psf_start[];
#define GLYPH(c) (_binary_font_psf_start + 4 + 16 * (uint8_t)(c))

static const struct boot_framebuffer *fb;
static uint32_t col, row, cols, rows;

static uint32_t channel(uint8_t size, uint8_t shift, uint8_t value)
{
    return (uint32_t)(value >> (8 - size)) << shift;
}

static void put_pixel(uint32_t x, uint32_t y, uint32_t pixel)
{
    uint8_t *p = (uint8_t *)(uintptr_t)(fb->addr + (uint64_t)y * fb->pitch + (uint64_t)x * (fb->bpp / 8));
    for (uint32_t i = 0; i < fb->bpp / 8; i++)
        p[i] = (uint8_t)(pixel >> (8 * i));
}

static void screen_putc(char c)
{
    if (!fb || (fb->kind != BOOT_FB_RGB && fb->kind != BOOT_FB_VGA_TEXT))
        return;
    if (c == '\n' || col == cols) {
        col = 0;
        row = (row + 1) % rows; /* wrap to the top: scrolling is yours to write */
        if (c == '\n')
            return;
    }
    if (fb->kind == BOOT_FB_VGA_TEXT) {
        volatile uint16_t *cell = (volatile uint16_t *)(uintptr_t)fb->addr + row * cols + col;
        *cell = (uint16_t)(0x0700 | (uint8_t)c); /* grey on black */
    } else {
        uint32_t white = channel(fb->red_size, fb->red_shift, 0xc0) | channel(fb->green_size, fb->green_shift, 0xc0) |
                         channel(fb->blue_size, fb->blue_shift, 0xc0);
        const uint8_t *g = GLYPH(c >= 32 && c < 127 ? c : '?');
        for (uint32_t y = 0; y < 16; y++)
            for (uint32_t x = 0; x < 8; x++)
                put_pixel(col * 8 + x, row * 16 + y, g[y] & (0x80 >> x) ? white : 0);
    }
    col++;
}

static void screen_init(const struct boot_info *bi)
{
    fb = &bi->fb;
    if (fb->kind == BOOT_FB_VGA_TEXT) {
        cols = fb->width;
        rows = fb->height;
    } else if (fb->kind == BOOT_FB_RGB && (fb->bpp == 32 || fb->bpp == 24)) {
        cols = fb->width / 8;
        rows = fb->height / 16;
        memset((void *)(uintptr_t)fb->addr, 0, (size_t)fb->pitch * fb->height); /* black in any pixel format */
    } else {
        fb = 0; /* serial only */
    }
}

/* ---- printing --------------------------------------------------------------- */

static void putc_both(char c)
{
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
    screen_putc(c);
}

static void puts_both(const char *s)
{
    while (*s)
        putc_both(*s++);
}

static void put_num(uint64_t v, unsigned base)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (base == 16)
        puts_both("0x");
    while (n)
        putc_both(buf[--n]);
}

static const char *const mem_type[] = { "?", "usable", "reserved", "ACPI reclaimable", "ACPI NVS", "bad",
                                        "loader", "kernel", "framebuffer", "module" };

void kmain(const struct boot_info *bi)
{
    serial_init();
    if (!bi || bi->magic != BOOT_INFO_MAGIC) {
        puts_both("template: not started by hyboot (no boot_info)\n");
        return;
    }
    screen_init(bi);
    puts_both("Hello from the template kernel!\n");
    puts_both("template: loader ");
    puts_both(bi->loader_name);
    puts_both(bi->firmware == BOOT_FW_UEFI ? " (UEFI), protocol v" : " (BIOS), protocol v");
    put_num(bi->version, 10);
    puts_both("\n");

    const struct boot_mmap_entry *map = (const void *)(uintptr_t)bi->mmap_addr;
    uint64_t usable = 0;
    for (uint32_t i = 0; i < bi->mmap_count; i++) {
        puts_both("template: mem ");
        put_num(map[i].base, 16);
        puts_both(" +");
        put_num(map[i].length, 16);
        puts_both(" ");
        puts_both(map[i].type <= BOOT_MEM_TYPE_MAX ? mem_type[map[i].type] : "?");
        puts_both("\n");
        if (map[i].type == BOOT_MEM_USABLE)
            usable += map[i].length;
    }
    puts_both("template: ");
    put_num(usable >> 20, 10);
    puts_both(" MiB usable\n");

    /* Fields after v1 exist only when the loader's struct reaches them:
     * check version and size, then read. */
    if (bi->version >= 2 && bi->size >= offsetof(struct boot_info, module_entry_size) + 4) {
        const uint8_t *mods = (const void *)(uintptr_t)bi->modules_addr;
        for (uint32_t i = 0; i < bi->module_count; i++) {
            const struct boot_module *m = (const void *)(mods + (uint64_t)i * bi->module_entry_size);
            puts_both("template: module ");
            puts_both((const char *)(uintptr_t)m->path_addr);
            puts_both(" at ");
            put_num(m->addr, 16);
            puts_both(", ");
            put_num(m->size, 10);
            puts_both(" bytes, \"");
            puts_both((const char *)(uintptr_t)m->string_addr);
            puts_both("\"\n");
        }
        puts_both("template: ");
        put_num(bi->module_count, 10);
        puts_both(" modules\n");
    }
    puts_both("template: done, halting\n");
}

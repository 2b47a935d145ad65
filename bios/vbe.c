#include "vbe.h"

#include "bioscall.h"
#include "console.h"
#include "fmt.h"
#include "mem.h"

/* VBE 2.0+ controller and mode information blocks (only what we read). */
struct __attribute__((packed)) vbe_info {
    char     signature[4];        /* "VESA" (we pass "VBE2" in) */
    uint16_t version;
    uint32_t oem_string;
    uint32_t capabilities;
    uint32_t mode_list;           /* real-mode far pointer */
    uint16_t total_memory;        /* 64 KiB units */
    uint8_t  rest[512 - 20];
};

struct __attribute__((packed)) vbe_mode_info {
    uint16_t attributes;          /* 0 supported, 4 graphics, 7 linear framebuffer */
    uint8_t  win_a, win_b;
    uint16_t granularity, win_size, seg_a, seg_b;
    uint32_t win_func;
    uint16_t pitch;               /* bytes per scan line */
    uint16_t width, height;
    uint8_t  char_w, char_h, planes, bpp, banks;
    uint8_t  memory_model;        /* 6 = direct colour */
    uint8_t  bank_size, image_pages, reserved0;
    uint8_t  red_size, red_pos, green_size, green_pos, blue_size, blue_pos;
    uint8_t  rsv_size, rsv_pos, direct_color_info;
    uint32_t phys_base;           /* linear framebuffer */
    uint32_t reserved1;
    uint16_t reserved2;
    uint16_t lin_pitch;           /* VBE 3.0: bytes per scan line in linear modes */
    uint8_t  bank_pages, lin_pages;
    uint8_t  lin_red_size, lin_red_pos, lin_green_size, lin_green_pos;
    uint8_t  lin_blue_size, lin_blue_pos, lin_rsv_size, lin_rsv_pos;
    uint32_t max_clock;
    uint8_t  rest[256 - 66];
};
_Static_assert(sizeof(struct vbe_info) == 512, "vbe_info");
_Static_assert(sizeof(struct vbe_mode_info) == 256, "vbe_mode_info");

#define ATTR_SUPPORTED 0x0001
#define ATTR_GRAPHICS  0x0010
#define ATTR_LINEAR    0x0080
#define MODEL_DIRECT   6
#define MAX_MODES      128
#define VBE_LINEAR     0x4000     /* 4F02h: BX bit 14 asks for the linear framebuffer */

/* BIOS-visible buffers: stage2's bss is below 1 MiB. */
static struct vbe_info info __attribute__((aligned(16)));
static struct vbe_mode_info mi __attribute__((aligned(16)));
static struct vbe_mode modes[MAX_MODES];

static int vbe_ok(const struct bios_regs *r) { return (r->eax & 0xffff) == 0x004f; }

static int mode_info(uint16_t mode)
{
    memset(&mi, 0, sizeof mi);
    struct bios_regs r = { .eax = 0x4f01, .ecx = mode, .es = rm_seg(&mi), .edi = rm_off(&mi) };
    bios_call(0x10, &r);
    return vbe_ok(&r);
}

/* Linear, direct-colour, 24/32 bpp modes the BIOS lists. Each AH=4F01h
 * is a round trip through the real-mode thunk, so the walk stops at a
 * mode vbe_pick() cannot do better than: 32 bpp at the wanted size
 * (1024x768 when boot.cfg names none). */
static int usable_modes(uint32_t want_w, uint32_t want_h)
{
    if (!want_w || !want_h) {
        want_w = 1024;
        want_h = 768;
    }
    memset(&info, 0, sizeof info);
    memcpy(info.signature, "VBE2", 4);
    struct bios_regs r = { .eax = 0x4f00, .es = rm_seg(&info), .edi = rm_off(&info) };
    bios_call(0x10, &r);
    if (!vbe_ok(&r) || memcmp(info.signature, "VESA", 4) || info.version < 0x0200)
        return 0;

    /* Copy the list first: it may live in info.rest, and some BIOSes
     * reuse scratch space across calls. */
    static uint16_t list[MAX_MODES];
    const volatile uint16_t *src = (const volatile uint16_t *)rm_linear(info.mode_list);
    int nlist = 0;
    while (nlist < MAX_MODES && src[nlist] != 0xffff)
        nlist++;
    for (int i = 0; i < nlist; i++)
        list[i] = src[i];

    int n = 0;
    for (int i = 0; i < nlist; i++) {
        if (!mode_info(list[i]))
            continue;
        if ((mi.attributes & (ATTR_SUPPORTED | ATTR_GRAPHICS | ATTR_LINEAR)) !=
                (ATTR_SUPPORTED | ATTR_GRAPHICS | ATTR_LINEAR) ||
            mi.memory_model != MODEL_DIRECT || (mi.bpp != 32 && mi.bpp != 24) || !mi.phys_base)
            continue;
        modes[n++] = (struct vbe_mode){ list[i], mi.width, mi.height, mi.bpp };
        if (mi.bpp == 32 && mi.width == want_w && mi.height == want_h)
            break;
    }
    return n;
}

static void fill_fb(struct boot_framebuffer *fb)
{
    int v3 = info.version >= 0x0300;
    memset(fb, 0, sizeof *fb);
    fb->kind = BOOT_FB_RGB;
    fb->addr = mi.phys_base;
    fb->width = mi.width;
    fb->height = mi.height;
    fb->pitch = v3 && mi.lin_pitch ? mi.lin_pitch : mi.pitch;
    fb->bpp = mi.bpp;
    if (v3 && mi.lin_red_size) {
        fb->red_size = mi.lin_red_size;     fb->red_shift = mi.lin_red_pos;
        fb->green_size = mi.lin_green_size; fb->green_shift = mi.lin_green_pos;
        fb->blue_size = mi.lin_blue_size;   fb->blue_shift = mi.lin_blue_pos;
    } else {
        fb->red_size = mi.red_size;     fb->red_shift = mi.red_pos;
        fb->green_size = mi.green_size; fb->green_shift = mi.green_pos;
        fb->blue_size = mi.blue_size;   fb->blue_shift = mi.blue_pos;
    }
    fb->size = (uint64_t)fb->pitch * fb->height;
}

static const char *text_fallback(struct boot_framebuffer *fb, const char *why, char *desc, unsigned len)
{
    memset(fb, 0, sizeof *fb);
    if (con_has_vga_text()) {
        fb->kind = BOOT_FB_VGA_TEXT;
        fb->addr = 0xb8000;
        fb->width = 80;
        fb->height = 25;
        fb->pitch = 160;
        fb->bpp = 16;
        fb->size = 160 * 25;
        fmt_snprintf(desc, len, "VGA text 80x25 (%s)", why);
    } else {
        fb->kind = BOOT_FB_NONE;
        fmt_snprintf(desc, len, "none, serial only (%s, and no VGA)", why);
    }
    return desc;
}

const char *video_setup(uint32_t want_w, uint32_t want_h, struct boot_framebuffer *fb,
                        char *desc, unsigned desc_len)
{
    int n = usable_modes(want_w, want_h);
    if (!n)
        return text_fallback(fb, "no VBE linear 24/32 bpp mode", desc, desc_len);
    int pick = vbe_pick(modes, n, want_w, want_h);
    if (pick < 0)
        return text_fallback(fb, "no VBE mode up to 1024x768", desc, desc_len);
    if (!mode_info(modes[pick].number))
        return text_fallback(fb, "VBE mode info failed", desc, desc_len);

    struct bios_regs r = { .eax = 0x4f02, .ebx = modes[pick].number | VBE_LINEAR };
    bios_call(0x10, &r);
    if (!vbe_ok(&r))
        return text_fallback(fb, "VBE set mode failed", desc, desc_len);
    con_graphics_mode(1);
    fill_fb(fb);
    const char *note = "";
    if (want_w && want_h && (fb->width != want_w || fb->height != want_h))
        note = ", resolution= from boot.cfg not offered";
    fmt_snprintf(desc, desc_len, "VBE mode 0x%x %ux%u %u bpp, linear at 0x%llx%s",
                 modes[pick].number, (unsigned)fb->width, (unsigned)fb->height, (unsigned)fb->bpp,
                 (unsigned long long)fb->addr, note);
    return desc;
}

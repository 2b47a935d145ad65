/* VBE: the display modes of a legacy BIOS (plat_video) and its EDID
 * (plat_edid, VBE/DDC 4F15h). Which mode to take is common/video.c's
 * decision; this file only lists, filters and sets. */
#include "console.h"
#include "fmt.h"
#include "loader.h"
#include "mem.h"
#include "service.h"
#include "video.h"

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
#define MAX_MODES      256
#define VBE_LINEAR     0x4000     /* 4F02h: BX bit 14 asks for the linear framebuffer */

/* BIOS-visible buffers: stage2's bss is below 1 MiB. */
static struct vbe_info info __attribute__((aligned(16)));
static struct vbe_mode_info mi __attribute__((aligned(16)));
#define EDID_BLOCK 128
static uint8_t edid_block[EDID_BLOCK] __attribute__((aligned(16)));

static int vbe_ok(const struct bios_regs *r) { return (r->eax & 0xffff) == 0x004f; }

static int mode_info(uint16_t mode)
{
    memset(&mi, 0, sizeof mi);
    struct bios_regs r = { .eax = 0x4f01, .ecx = mode, .es = rm_seg(&mi), .edi = rm_off(&mi) };
    bios_service(0x10, &r);
    return vbe_ok(&r);
}

/* Can the kernel draw on the mode in `mi`? */
static int drawable(void)
{
    return (mi.attributes & (ATTR_SUPPORTED | ATTR_GRAPHICS | ATTR_LINEAR)) ==
               (ATTR_SUPPORTED | ATTR_GRAPHICS | ATTR_LINEAR) &&
           mi.memory_model == MODEL_DIRECT && (mi.bpp == 32 || mi.bpp == 24) && mi.phys_base;
}

static int controller_info(void)
{
    memset(&info, 0, sizeof info);
    memcpy(info.signature, "VBE2", 4);
    struct bios_regs r = { .eax = 0x4f00, .es = rm_seg(&info), .edi = rm_off(&info) };
    bios_service(0x10, &r);
    return vbe_ok(&r) && !memcmp(info.signature, "VESA", 4) && info.version >= 0x0200;
}

/* The policy's best mode number, or -1. Each AH=4F01h is a round trip
 * through the real-mode thunk, so the walk stops at a mode the policy
 * calls ideal. */
static int pick_mode(const struct video_policy *p)
{
    if (!controller_info())
        return -1;
    /* Copy the list first: it may live in info.rest, and some BIOSes
     * reuse scratch space across calls. */
    static uint16_t list[MAX_MODES];
    const volatile uint16_t *src = (const volatile uint16_t *)rm_linear(info.mode_list);
    int nlist = 0;
    while (nlist < MAX_MODES && src[nlist] != 0xffff)
        nlist++;
    for (int i = 0; i < nlist; i++)
        list[i] = src[i];

    int best = -1;
    struct video_mode best_m = { 0, 0, 0 };
    for (int i = 0; i < nlist; i++) {
        if (!mode_info(list[i]) || !drawable())
            continue;
        struct video_mode m = { mi.width, mi.height, mi.bpp };
        if (video_better(p, &m, best < 0 ? 0 : &best_m)) {
            best = list[i];
            best_m = m;
            if (video_ideal(p, &m))
                break;
        }
    }
    return best;
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

static void text_fallback(struct boot_framebuffer *fb, const char *why, char *desc, size_t len)
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
}

void plat_video(struct video_policy *p, struct boot_framebuffer *fb, char *desc, size_t len)
{
    int mode = pick_mode(p);
    if (mode < 0) {
        text_fallback(fb, "no VBE linear 24/32 bpp mode that fits", desc, len);
        return;
    }
    if (!mode_info((uint16_t)mode)) {
        text_fallback(fb, "VBE mode info failed", desc, len);
        return;
    }
    struct bios_regs r = { .eax = 0x4f02, .ebx = (uint32_t)mode | VBE_LINEAR };
    bios_service(0x10, &r);
    if (!vbe_ok(&r)) {
        text_fallback(fb, "VBE set mode failed", desc, len);
        return;
    }
    con_graphics_mode(1);
    fill_fb(fb);
    fmt_snprintf(desc, len, "VBE mode 0x%x %ux%u %u bpp, framebuffer at 0x%llx", (unsigned)mode,
                 (unsigned)fb->width, (unsigned)fb->height, (unsigned)fb->bpp,
                 (unsigned long long)fb->addr);
}

/* VBE/DDC: AX=4F15h BL=00h says whether DDC works, BL=01h reads one
 * 128-byte EDID block (DX = block number) into ES:DI. */
static int read_edid_block(uint32_t n)
{
    memset(edid_block, 0, sizeof edid_block);
    struct bios_regs r = { .eax = 0x4f15, .ebx = 0x01, .ecx = 0, .edx = n,
                           .es = rm_seg(edid_block), .edi = rm_off(edid_block) };
    bios_service(0x10, &r);
    return vbe_ok(&r);
}

uint32_t plat_edid(uint8_t *buf, uint32_t cap)
{
    struct bios_regs r = { .eax = 0x4f15, .ebx = 0x00 };
    bios_service(0x10, &r);
    if (!vbe_ok(&r) || cap < EDID_BLOCK || !read_edid_block(0))
        return 0;
    memcpy(buf, edid_block, EDID_BLOCK);
    uint32_t size = EDID_BLOCK, blocks = 1u + buf[126];
    while (size / EDID_BLOCK < blocks && size + EDID_BLOCK <= cap && read_edid_block(size / EDID_BLOCK)) {
        memcpy(buf + size, edid_block, EDID_BLOCK);
        size += EDID_BLOCK;
    }
    return size;
}

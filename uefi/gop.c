/* GOP: the display modes of a UEFI machine (plat_video) and its EDID
 * (plat_edid). Which mode to take is common/video.c's decision; the pixel
 * format translation is in gop_logic.c; this file talks to the firmware. */
#include "uefi.h"
#include "fmt.h"
#include "gop_logic.h"
#include "loader.h"
#include "mem.h"
#include "video.h"

static const char *format_name(uint32_t f)
{
    switch (f) {
    case GOPF_RGB: return "RGB";
    case GOPF_BGR: return "BGR";
    case GOPF_BITMASK: return "bitmask";
    case GOPF_BLT_ONLY: return "BltOnly";
    default: return "unknown";
    }
}

static void to_desc(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info, struct gop_mode_desc *d)
{
    d->width = info->HorizontalResolution;
    d->height = info->VerticalResolution;
    d->format = (uint32_t)info->PixelFormat;
    d->pixels_per_line = info->PixelsPerScanLine;
    d->mask_r = info->PixelInformation.RedMask;
    d->mask_g = info->PixelInformation.GreenMask;
    d->mask_b = info->PixelInformation.BlueMask;
    d->mask_x = info->PixelInformation.ReservedMask;
}

/* The handle whose GOP draws the console (ConOut's), else any GOP's. */
static EFI_HANDLE gop_handle(EFI_GRAPHICS_OUTPUT_PROTOCOL **gop)
{
    EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    *gop = NULL;
    if (efi_st->ConsoleOutHandle &&
        !EFI_ERROR(efi_bs->HandleProtocol(efi_st->ConsoleOutHandle, &guid, (void **)gop)) && *gop)
        return efi_st->ConsoleOutHandle;
    UINTN n = 0;
    EFI_HANDLE *hs = NULL;
    EFI_HANDLE found = NULL;
    if (!EFI_ERROR(efi_bs->LocateHandleBuffer(ByProtocol, &guid, NULL, &n, &hs)) && n) {
        if (!EFI_ERROR(efi_bs->HandleProtocol(hs[0], &guid, (void **)gop)) && *gop)
            found = hs[0];
        efi_bs->FreePool(hs);
    }
    return found;
}

/* A mode the kernel can draw on, as the policy sees it; 0 when it cannot. */
static int as_video_mode(const struct gop_mode_desc *d, struct video_mode *m)
{
    struct boot_framebuffer fb;
    if (gop_fill_fb(d, 1, &fb))
        return 0;
    m->width = fb.width;
    m->height = fb.height;
    m->bpp = fb.bpp;
    return 1;
}

/* The mode to be in: the current one when the policy cannot do better
 * (no QueryMode walk, no SetMode), else the best of the walk. Without an
 * EDID, the mode the firmware set is its idea of the panel's native size
 * (OVMF and PC firmware start in it): it stands in for the preferred
 * size, as the EDID's does for VBE. */
static void choose_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, struct video_policy *p)
{
    struct gop_mode_desc cur;
    struct video_mode cm;
    to_desc(gop->Mode->Info, &cur);
    int cur_ok = as_video_mode(&cur, &cm);
    if (cur_ok && !p->pref_from_edid)
        video_policy_prefer(p, cm.width, cm.height);
    if (cur_ok && video_ideal(p, &cm))
        return;
    int best = -1;
    struct video_mode bm = { 0, 0, 0 };
    for (uint32_t i = 0; i < gop->Mode->MaxMode; i++) {
        EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = NULL;
        UINTN size = 0;
        struct gop_mode_desc d;
        struct video_mode m;
        if (EFI_ERROR(gop->QueryMode(gop, i, &size, &info)) || !info)
            continue;
        to_desc(info, &d);
        efi_bs->FreePool(info);
        if (as_video_mode(&d, &m) && video_better(p, &m, best < 0 ? 0 : &bm)) {
            best = (int)i;
            bm = m;
            if (video_ideal(p, &m))
                break;
        }
    }
    /* Nothing fits the policy: the firmware's own mode is the screen the
     * user already sees. */
    if (best < 0 || (uint32_t)best == gop->Mode->Mode)
        return;
    EFI_STATUS s = gop->SetMode(gop, (uint32_t)best);
    if (EFI_ERROR(s))
        say("GOP SetMode %ux%u failed (%s), keeping the current mode", (unsigned)bm.width,
            (unsigned)bm.height, efi_status_name(s));
}

void plat_video(struct video_policy *p, struct boot_framebuffer *fb, char *desc, size_t len)
{
    memset(fb, 0, sizeof *fb);
    fb->kind = BOOT_FB_NONE;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
    if (!gop_handle(&gop) || !gop->Mode || !gop->Mode->Info) {
        fmt_snprintf(desc, len, "none, serial only (no GOP)");
        return;
    }
    choose_mode(gop, p);
    if (!p->pref_from_edid && gop->Mode->Info)
        video_policy_prefer(p, gop->Mode->Info->HorizontalResolution, gop->Mode->Info->VerticalResolution);
    struct gop_mode_desc cur;
    to_desc(gop->Mode->Info, &cur);
    if (gop_fill_fb(&cur, gop->Mode->FrameBufferBase, fb) != 0 || fb->addr == 0) {
        memset(fb, 0, sizeof *fb);
        fb->kind = BOOT_FB_NONE;
        /* Not a failure: some adapters (virtio-gpu) only offer Blt. */
        fmt_snprintf(desc, len, "none, serial only (GOP %ux%u %s has no linear framebuffer)",
                     (unsigned)cur.width, (unsigned)cur.height, format_name(cur.format));
        return;
    }
    fmt_snprintf(desc, len, "GOP mode %u %ux%u %s, pitch %u, framebuffer at 0x%llx",
                 (unsigned)gop->Mode->Mode, (unsigned)fb->width, (unsigned)fb->height,
                 format_name(cur.format), (unsigned)fb->pitch, (unsigned long long)fb->addr);
}

/* EFI_EDID_ACTIVE_PROTOCOL (what the display uses, after overrides), else
 * EFI_EDID_DISCOVERED_PROTOCOL, on the GOP's handle. */
uint32_t plat_edid(uint8_t *buf, uint32_t cap)
{
    EFI_GUID active = EFI_EDID_ACTIVE_PROTOCOL_GUID, discovered = EFI_EDID_DISCOVERED_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
    EFI_HANDLE h = gop_handle(&gop);
    if (!h)
        return 0;
    EFI_EDID_ACTIVE_PROTOCOL *e = NULL;
    if ((EFI_ERROR(efi_bs->HandleProtocol(h, &active, (void **)&e)) || !e || !e->SizeOfEdid) &&
        (EFI_ERROR(efi_bs->HandleProtocol(h, &discovered, (void **)&e)) || !e || !e->SizeOfEdid))
        return 0;
    uint32_t n = e->SizeOfEdid < cap ? e->SizeOfEdid : cap;
    memcpy(buf, e->Edid, n);
    return n - n % 128;
}

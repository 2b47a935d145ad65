/* GOP: the mode choice itself is in gop_logic.c; this file talks to the
 * firmware. */
#include "uefi.h"
#include "gop.h"
#include "gop_logic.h"
#include "mem.h"

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

/* The GOP on the console handle (the screen ConOut draws on), else any. */
static EFI_GRAPHICS_OUTPUT_PROTOCOL *find_gop(void)
{
    EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = NULL;
    if (efi_st->ConsoleOutHandle &&
        !EFI_ERROR(efi_bs->HandleProtocol(efi_st->ConsoleOutHandle, &guid, (void **)&gop)) && gop)
        return gop;
    gop = NULL;
    if (EFI_ERROR(efi_bs->LocateProtocol(&guid, NULL, (void **)&gop)))
        return NULL;
    return gop;
}

/* Switches to the mode gop_pick_mode chooses; leaves the mode alone when
 * nothing fits or the modes cannot be listed. */
static void choose_mode(EFI_GRAPHICS_OUTPUT_PROTOCOL *gop, const struct boot_cfg *cfg)
{
    uint32_t n = gop->Mode->MaxMode;
    struct gop_mode_desc *modes = NULL;
    if (n == 0 || EFI_ERROR(efi_bs->AllocatePool(EfiLoaderData, n * sizeof *modes, (void **)&modes))) {
        con_printf("hyboot: error: gop: cannot list the video modes, keeping the current one\n");
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info = NULL;
        UINTN size = 0;
        memset(&modes[i], 0, sizeof modes[i]);
        modes[i].format = GOPF_BLT_ONLY;   /* unqueryable modes are never picked */
        if (!EFI_ERROR(gop->QueryMode(gop, i, &size, &info)) && info) {
            to_desc(info, &modes[i]);
            efi_bs->FreePool(info);
        }
    }
    int pick = gop_pick_mode(modes, n, cfg->res_width, cfg->res_height);
    if (cfg->res_width && (pick < 0 || modes[pick].width != cfg->res_width ||
                           modes[pick].height != cfg->res_height))
        con_printf("hyboot: uefi gop: resolution=%ux%u is not offered\n", cfg->res_width, cfg->res_height);
    if (pick >= 0 && (uint32_t)pick != gop->Mode->Mode) {
        EFI_STATUS s = gop->SetMode(gop, (uint32_t)pick);
        if (EFI_ERROR(s))
            con_printf("hyboot: error: gop: SetMode %ux%u failed (%s), keeping the current mode\n",
                       modes[pick].width, modes[pick].height, efi_status_name(s));
    }
    efi_bs->FreePool(modes);
}

void gop_setup(const struct boot_cfg *cfg, struct boot_framebuffer *fb)
{
    memset(fb, 0, sizeof *fb);
    fb->kind = BOOT_FB_NONE;
    EFI_GRAPHICS_OUTPUT_PROTOCOL *gop = find_gop();
    if (!gop || !gop->Mode || !gop->Mode->Info) {
        con_printf("hyboot: uefi: no GOP, booting without a framebuffer (serial only)\n");
        return;
    }
    choose_mode(gop, cfg);

    struct gop_mode_desc cur;
    to_desc(gop->Mode->Info, &cur);
    if (gop_fill_fb(&cur, gop->Mode->FrameBufferBase, fb) != 0 || fb->addr == 0) {
        memset(fb, 0, sizeof *fb);
        fb->kind = BOOT_FB_NONE;
        /* Not a failure: some adapters (virtio-gpu) only offer Blt. */
        con_printf("hyboot: uefi gop %ux%u %s: no linear framebuffer, booting serial only\n",
                   cur.width, cur.height, format_name(cur.format));
        return;
    }
    con_printf("hyboot: uefi gop %ux%u %s, pitch %u, framebuffer at 0x%llx\n", fb->width, fb->height,
               format_name(cur.format), fb->pitch, (unsigned long long)fb->addr);
}

/* Graphics Output Protocol: picks and sets the video mode, describes the
 * framebuffer for boot_info. */
#ifndef HYBOOT_UEFI_GOP_H
#define HYBOOT_UEFI_GOP_H

#include "boot_info.h"
#include "bootcfg.h"

/* Never fatal: without a GOP (or with a BltOnly mode) fb->kind is
 * BOOT_FB_NONE and the kernel runs on serial only. */
void gop_setup(const struct boot_cfg *cfg, struct boot_framebuffer *fb);

#endif

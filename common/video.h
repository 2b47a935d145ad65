/* Which display mode the kernel gets: one policy for VBE (stage2) and GOP
 * (UEFI), so one image shows the same screen under either firmware.
 *
 *  1. boot.cfg's resolution=WxH, when the firmware offers that size.
 *  2. Otherwise the largest mode that fits inside the preferred size:
 *     the display's own preferred (native) size from its EDID when the
 *     firmware gives one; else, under UEFI, the mode the firmware is in
 *     (firmware starts in the panel's native mode: OVMF takes it from the
 *     EDID it reads itself but does not pass on); else
 *     VIDEO_DEFAULT_W x VIDEO_DEFAULT_H.
 *  Ties go to 32 bpp over 24, then to the wider mode. A mode the firmware
 *  already shows is kept without a mode set when it is the choice (a mode
 *  set costs tens of milliseconds and flickers the panel).
 *
 * The firmware layers walk their modes, drop what the kernel cannot draw
 * on (no linear framebuffer, not 24/32 bpp), and compare the rest with
 * video_better; video_ideal says when the walk may stop early. */
#ifndef HYBOOT_VIDEO_H
#define HYBOOT_VIDEO_H

#include <stdint.h>

#define VIDEO_DEFAULT_W 1024
#define VIDEO_DEFAULT_H 768

struct video_policy {
    uint32_t want_w, want_h;   /* boot.cfg resolution=, 0 when not given */
    uint32_t pref_w, pref_h;   /* the preferred size (EDID or the default) */
    int      pref_from_edid;
};

struct video_mode {
    uint32_t width, height;
    uint32_t bpp;              /* 24 or 32 */
};

/* want_* from boot.cfg (0 when none), the EDID block (NULL/0 when none). */
void video_policy_init(struct video_policy *p, uint32_t want_w, uint32_t want_h,
                       const uint8_t *edid, uint32_t edid_size);
/* The preferred size when the EDID did not give one (UEFI: the mode
 * the firmware is in). */
void video_policy_prefer(struct video_policy *p, uint32_t w, uint32_t h);
/* Does m qualify at all? (the asked size, or inside the preferred size) */
int video_acceptable(const struct video_policy *p, const struct video_mode *m);
/* Is a a better choice than b? b may be NULL (nothing chosen yet). */
int video_better(const struct video_policy *p, const struct video_mode *a, const struct video_mode *b);
/* Can no mode beat m? */
int video_ideal(const struct video_policy *p, const struct video_mode *m);
/* Was resolution= asked for and not honoured by `got`? */
int video_missed_request(const struct video_policy *p, const struct video_mode *got);

#endif

#include "video.h"
#include "fwtables.h"

void video_policy_init(struct video_policy *p, uint32_t want_w, uint32_t want_h,
                       const uint8_t *edid, uint32_t edid_size)
{
    p->want_w = want_w;
    p->want_h = want_h;
    p->pref_w = VIDEO_DEFAULT_W;
    p->pref_h = VIDEO_DEFAULT_H;
    p->pref_from_edid = 0;
    struct edid_info e;
    char why[8];
    /* A preferred size below VGA's is a broken EDID, not a real panel. */
    if (edid && fw_edid_check(edid, edid_size, &e, why, sizeof why) == 0 && e.pref_width >= 640 &&
        e.pref_height >= 480) {
        p->pref_w = e.pref_width;
        p->pref_h = e.pref_height;
        p->pref_from_edid = 1;
    }
}

void video_policy_prefer(struct video_policy *p, uint32_t w, uint32_t h)
{
    if (w >= 640 && h >= 480) {
        p->pref_w = w;
        p->pref_h = h;
    }
}

static int is_wanted(const struct video_policy *p, const struct video_mode *m)
{
    return p->want_w && m->width == p->want_w && m->height == p->want_h;
}

int video_acceptable(const struct video_policy *p, const struct video_mode *m)
{
    if (m->bpp != 24 && m->bpp != 32)
        return 0;
    return is_wanted(p, m) || (m->width <= p->pref_w && m->height <= p->pref_h);
}

int video_better(const struct video_policy *p, const struct video_mode *a, const struct video_mode *b)
{
    if (!video_acceptable(p, a))
        return 0;
    if (!b)
        return 1;
    if (is_wanted(p, a) != is_wanted(p, b))
        return is_wanted(p, a);
    uint64_t area_a = (uint64_t)a->width * a->height, area_b = (uint64_t)b->width * b->height;
    if (area_a != area_b)
        return area_a > area_b;
    if (a->bpp != b->bpp)
        return a->bpp > b->bpp;
    return a->width > b->width;
}

int video_ideal(const struct video_policy *p, const struct video_mode *m)
{
    if (m->bpp != 32)
        return 0;
    if (p->want_w)
        return is_wanted(p, m);
    return m->width == p->pref_w && m->height == p->pref_h;
}

int video_missed_request(const struct video_policy *p, const struct video_mode *got)
{
    return p->want_w && (!got || !is_wanted(p, got));
}

/* The mode choice on its own, without BIOS calls, so a host unit test can
 * check it (tests/unit/test_bios_vbe_pick.c). */
#include "vbe.h"

static int better(const struct vbe_mode *a, const struct vbe_mode *b)
{
    uint32_t area_a = (uint32_t)a->width * a->height, area_b = (uint32_t)b->width * b->height;
    if (area_a != area_b)
        return area_a > area_b;
    return a->bpp > b->bpp;       /* 32 over 24 */
}

int vbe_pick(const struct vbe_mode *modes, int n, uint32_t want_w, uint32_t want_h)
{
    int best = -1;
    if (want_w && want_h) {
        for (int i = 0; i < n; i++)
            if (modes[i].width == want_w && modes[i].height == want_h &&
                (best < 0 || modes[i].bpp > modes[best].bpp))
                best = i;
        if (best >= 0)
            return best;
    }
    for (int i = 0; i < n; i++) {
        if (modes[i].width > 1024 || modes[i].height > 768)
            continue;
        if (best < 0 || better(&modes[i], &modes[best]))
            best = i;
    }
    return best;
}

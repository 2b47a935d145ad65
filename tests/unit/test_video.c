/* The display mode policy both loaders share (common/video.c) and the
 * EDID reading it starts from (common/edid.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fwtables.h"
#include "video.h"

/* Roughly what OVMF's QemuVideoDxe (and SeaBIOS's VGA BIOS) offer. */
static const struct video_mode qemu[] = {
    { 640, 480, 32 },   { 800, 480, 32 },   { 800, 600, 32 },   { 832, 624, 32 },
    { 960, 640, 32 },   { 1024, 600, 32 },  { 1024, 768, 24 },  { 1024, 768, 32 },
    { 1152, 864, 32 },  { 1280, 720, 32 },  { 1280, 768, 32 },  { 1280, 800, 32 },
    { 1280, 960, 32 },  { 1280, 1024, 32 }, { 1366, 768, 32 },  { 1440, 900, 32 },
    { 1600, 1200, 32 }, { 1680, 1050, 32 }, { 1920, 1080, 32 }, { 1920, 1200, 32 },
    { 2560, 1600, 32 },
};
#define NQ (int)(sizeof qemu / sizeof qemu[0])

/* What a firmware layer does: walk, keep the better, stop at ideal. */
static int walk(const struct video_policy *p, const struct video_mode *m, int n, int *visited)
{
    int best = -1;
    for (int i = 0; i < n; i++) {
        if (visited)
            *visited = i + 1;
        if (video_better(p, &m[i], best < 0 ? 0 : &m[best])) {
            best = i;
            if (video_ideal(p, &m[i]))
                break;
        }
    }
    return best;
}

/* A minimal EDID 1.4 base block whose first detailed timing is w x h. */
static void make_edid(uint8_t e[128], uint32_t w, uint32_t h)
{
    static const uint8_t hdr[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
    memset(e, 0, 128);
    memcpy(e, hdr, 8);
    e[18] = 1;
    e[19] = 4;
    uint8_t *d = e + 54;
    d[0] = 0x01;                       /* a non-zero pixel clock */
    d[1] = 0x1d;
    d[2] = (uint8_t)w;
    d[4] = (uint8_t)((w >> 8) << 4);
    d[5] = (uint8_t)h;
    d[7] = (uint8_t)((h >> 8) << 4);
    uint8_t sum = 0;
    for (int i = 0; i < 127; i++)
        sum = (uint8_t)(sum + e[i]);
    e[127] = (uint8_t)(0x100 - sum);
}

int main(void)
{
    struct video_policy p;
    int visited;

    video_policy_init(&p, 0, 0, NULL, 0);
    CHECK(p.pref_w == VIDEO_DEFAULT_W && p.pref_h == VIDEO_DEFAULT_H && !p.pref_from_edid,
          "video: no EDID, no resolution=: the default size");
    CHECK(walk(&p, qemu, NQ, &visited) == 7 && visited == 8,
          "video: default picks 1024x768 at 32 bpp and stops there");

    video_policy_init(&p, 1280, 1024, NULL, 0);
    CHECK(walk(&p, qemu, NQ, NULL) == 13, "video: resolution= picks the exact mode");
    video_policy_init(&p, 2560, 1600, NULL, 0);
    CHECK(walk(&p, qemu, NQ, NULL) == 20, "video: resolution= may exceed the preferred size");
    video_policy_init(&p, 1000, 700, NULL, 0);
    int b = walk(&p, qemu, NQ, NULL);
    CHECK(b == 7 && video_missed_request(&p, &qemu[b]), "video: a size not offered falls back, and says so");
    CHECK(!video_missed_request(&p, &(struct video_mode){ 1000, 700, 32 }), "video: a request met is not a miss");

    uint8_t edid[128];
    make_edid(edid, 1920, 1080);
    struct edid_info info;
    char why[96];
    CHECK(fw_edid_check(edid, 128, &info, why, sizeof why) == 0 && info.pref_width == 1920 &&
              info.pref_height == 1080,
          "edid: a well-formed base block, preferred size from the first detailed timing");
    video_policy_init(&p, 0, 0, edid, 128);
    CHECK(p.pref_from_edid && walk(&p, qemu, NQ, NULL) == 18,
          "video: the EDID's native 1920x1080 is chosen");
    video_policy_prefer(&p, 800, 600);
    CHECK(p.pref_w == 800, "video: a firmware-given preferred size replaces it");

    /* a panel bigger than any mode: the largest that fits */
    make_edid(edid, 3840, 2160);
    video_policy_init(&p, 0, 0, edid, 128);
    CHECK(walk(&p, qemu, NQ, NULL) == 20, "video: no mode at the native size: the largest inside it");

    make_edid(edid, 1024, 768);
    edid[60] ^= 1;
    video_policy_init(&p, 0, 0, edid, 128);
    CHECK(!p.pref_from_edid, "video: an EDID with a bad checksum is not used");
    make_edid(edid, 320, 200);
    video_policy_init(&p, 0, 0, edid, 128);
    CHECK(!p.pref_from_edid && p.pref_w == VIDEO_DEFAULT_W, "video: an implausibly small native size is ignored");

    static const struct video_mode few[] = { { 2560, 1440, 32 }, { 3840, 2160, 32 }, { 800, 600, 16 } };
    video_policy_init(&p, 0, 0, NULL, 0);
    CHECK(walk(&p, few, 3, NULL) == -1, "video: nothing fits: no choice (the layer keeps its fallback)");
    static const struct video_mode tie[] = { { 1024, 768, 24 }, { 1024, 768, 32 } };
    CHECK(walk(&p, tie, 2, NULL) == 1, "video: 32 bpp over 24 at the same size");
    return check_exit();
}

/* stage2's VBE mode choice (bios/vbe_pick.c): resolution= from boot.cfg
 * when offered, else the largest mode up to 1024x768, 32 bpp over 24. */
#include "check.h"
#include "../../bios/vbe.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
    static const struct vbe_mode std[] = {
        { 0x101, 640, 480, 32 },  { 0x102, 800, 600, 24 },   { 0x103, 800, 600, 32 },
        { 0x104, 1024, 768, 24 }, { 0x105, 1024, 768, 32 },  { 0x106, 1280, 1024, 32 },
        { 0x107, 1920, 1080, 32 },
    };
    CHECK(vbe_pick(std, N(std), 0, 0) == 4, "default: 1024x768 32 bpp");
    CHECK(vbe_pick(std, N(std), 800, 600) == 2, "resolution=800x600 picks its 32 bpp mode");
    CHECK(vbe_pick(std, N(std), 1280, 1024) == 5, "resolution= may ask above 1024x768");
    CHECK(vbe_pick(std, N(std), 1600, 1200) == 4, "resolution= not offered: default rule");

    static const struct vbe_mode only24[] = { { 0x110, 800, 600, 24 }, { 0x111, 1024, 768, 24 } };
    CHECK(vbe_pick(only24, N(only24), 0, 0) == 1, "24 bpp accepted when it is all there is");

    static const struct vbe_mode mixed[] = { { 0x120, 1024, 768, 24 }, { 0x121, 800, 600, 32 } };
    CHECK(vbe_pick(mixed, N(mixed), 0, 0) == 0, "size first: 1024x768x24 over 800x600x32");

    static const struct vbe_mode big[] = { { 0x130, 1280, 1024, 32 }, { 0x131, 1024, 800, 32 } };
    CHECK(vbe_pick(big, N(big), 0, 0) == -1, "nothing within 1024x768: no pick");
    CHECK(vbe_pick(big, N(big), 1024, 800) == 1, "but an exact resolution= is honoured");

    CHECK(vbe_pick(std, 0, 0, 0) == -1, "no modes: no pick");
    return check_exit();
}

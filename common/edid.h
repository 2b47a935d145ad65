/* EDID (VESA E-EDID 1.3/1.4): the 128-byte blocks a display describes
 * itself with. The loaders copy it for the kernel and read its preferred
 * (native) size for the video policy; the kernel's self-test checks it. */
#ifndef HYBOOT_EDID_H
#define HYBOOT_EDID_H

#include <stdint.h>

#define EDID_BLOCK 128

/* NULL when buf holds a well-formed EDID of `size` bytes (the 8-byte
 * header, every 128-byte block summing to 0, no more blocks than the
 * extension count allows), else the reason. */
const char *edid_check(const uint8_t *buf, uint32_t size);
/* The first detailed timing descriptor's active size: the display's
 * preferred mode. 0, or -1 when the EDID has none. */
int edid_preferred_size(const uint8_t *buf, uint32_t size, uint32_t *w, uint32_t *h);

#endif

#include "edid.h"

static const uint8_t header[8] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };

const char *edid_check(const uint8_t *buf, uint32_t size)
{
    if (size < EDID_BLOCK || size % EDID_BLOCK)
        return "size is not a whole number of 128-byte blocks";
    for (int i = 0; i < 8; i++)
        if (buf[i] != header[i])
            return "no EDID header";
    /* byte 126 counts the extension blocks after the base block; a
     * firmware may hand over fewer (the base block alone), never more */
    if ((uint32_t)(buf[126] + 1) * EDID_BLOCK < size)
        return "more blocks than the extension count says";
    for (uint32_t b = 0; b < size; b += EDID_BLOCK) {
        uint8_t sum = 0;
        for (uint32_t i = 0; i < EDID_BLOCK; i++)
            sum = (uint8_t)(sum + buf[b + i]);
        if (sum)
            return "block checksum is not zero";
    }
    return 0;
}

int edid_preferred_size(const uint8_t *buf, uint32_t size, uint32_t *w, uint32_t *h)
{
    if (edid_check(buf, size))
        return -1;
    const uint8_t *d = buf + 54;       /* first of four 18-byte descriptors */
    if (d[0] == 0 && d[1] == 0)         /* pixel clock 0: a display descriptor, not a timing */
        return -1;
    *w = d[2] | (uint32_t)(d[4] & 0xf0) << 4;
    *h = d[5] | (uint32_t)(d[7] & 0xf0) << 4;
    return *w && *h ? 0 : -1;
}

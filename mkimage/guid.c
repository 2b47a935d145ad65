/* Identifiers derived from the seed: the same inputs (or --seed) give the
 * same GUIDs and signatures, so two builds are byte-identical. */
#include "mk_disk.h"
#include "sha256.h"

#include <string.h>

static void derive(const uint8_t seed[32], const char *purpose, uint8_t out[SHA256_LEN])
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, "hyboot-mkimage-id:", 18);
    sha256_update(&c, purpose, strlen(purpose));
    sha256_update(&c, ":", 1);
    sha256_update(&c, seed, 32);
    sha256_final(&c, out);
}

void mk_guid_derive(const uint8_t seed[32], const char *purpose, uint8_t out[16])
{
    uint8_t h[SHA256_LEN];
    derive(seed, purpose, h);
    memcpy(out, h, 16);
    /* time_hi_and_version is the little-endian uint16 at bytes 6..7: its
     * top nibble (the version) is the high nibble of byte 7. Version 4
     * says "no meaning in the bits" to anyone parsing it, which is true
     * of a hash. The variant lives in the top bits of byte 8: 10xx. */
    out[7] = (uint8_t)((out[7] & 0x0f) | 0x40);
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

uint32_t mk_u32_derive(const uint8_t seed[32], const char *purpose)
{
    uint8_t h[SHA256_LEN];
    derive(seed, purpose, h);
    uint32_t v = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
    return v ? v : 1;   /* 0 means "no signature" to some tools */
}

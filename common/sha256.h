/* SHA-256 (FIPS 180-4). Used for boot.cfg's kernel_sha256 and for
 * deterministic GUIDs in mkimage. */
#ifndef HYBOOT_SHA256_H
#define HYBOOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;      /* bytes hashed so far */
    uint8_t  buf[64];
    uint32_t buf_len;
};

/* The 64 round constants (FIPS 180-4 4.2.2), also for mkimage's SHA-NI path. */
extern const uint32_t sha256_k[64];

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_LEN]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* out must hold 65 bytes: lower-case hex and a NUL. */
void sha256_hex(const uint8_t digest[SHA256_LEN], char out[2 * SHA256_LEN + 1]);
/* Parses 64 hex digits (either case); returns 0 on success, -1 otherwise. */
int sha256_parse_hex(const char *hex, size_t len, uint8_t out[SHA256_LEN]);

#endif

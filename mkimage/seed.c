/* The default seed: a hash of everything that goes into the image, so the
 * same inputs give the same GUIDs, signatures and volume id (and so the
 * same bytes). The kernel's and the modules' SHA-256 are computed anyway
 * for boot.cfg (which the seed hashes); the other inputs go through a fast
 * 64-bit digest, which is
 * all a seed needs (determinism and sensitivity to every byte, not
 * collision resistance against an adversary). */
#include "mk_plan.h"

#include <string.h>

#include "sha256.h"

/* Four multiply-xorshift lanes over 8-byte words, the tail and the length
 * folded in at the end. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    return x ^ (x >> 33);
}

static uint64_t bulk_digest(const uint8_t *p, uint64_t n)
{
    uint64_t lane[4] = { 0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
                         0x082efa98ec4e6c89ULL };
    uint64_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * k, 8);
            lane[k] = (lane[k] ^ w) * 0x9e3779b97f4a7c15ULL;
            lane[k] ^= lane[k] >> 29;
        }
    uint64_t h = n;
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    for (int k = 0; k < 4; k++)
        h = mix64(h ^ mix64(lane[k] + (uint64_t)k));
    return h;
}

static void hash_field(struct sha256_ctx *c, const char *tag, const void *data, uint64_t len)
{
    /* Length-prefixed, so fields cannot run into each other. */
    uint64_t l = len;
    sha256_update(c, tag, strlen(tag) + 1);
    sha256_update(c, &l, sizeof l);
    if (len)
        sha256_update(c, data, (size_t)len);
}

uint64_t mk_bulk_digest(const struct mk_blob *b)
{
    return b->path ? bulk_digest(b->data, b->size) : 0;
}

static void bulk_field(struct sha256_ctx *c, const char *tag, const struct mk_blob *b, uint64_t digest)
{
    hash_field(c, tag, &digest, b->path ? sizeof digest : 0);
}

void mk_seed_make(struct mk_plan *p, const struct mk_opts *o)
{
    struct sha256_ctx c;
    sha256_init(&c);
    if (o->seed) {
        p->seed_given = 1;
        hash_field(&c, "seed", o->seed, strlen(o->seed));
    } else {
        hash_field(&c, "kernel-sha256", p->kernel_sha256, SHA256_LEN);
        bulk_field(&c, "efi", &p->efi, p->digests[MK_DIGEST_EFI]);
        bulk_field(&c, "stage1", &p->stage1, p->digests[MK_DIGEST_STAGE1]);
        bulk_field(&c, "stage2", &p->stage2, p->digests[MK_DIGEST_STAGE2]);
        /* Only when present, so images without them keep their seeds. */
        if (p->efi32.path)
            bulk_field(&c, "efi32", &p->efi32, p->digests[MK_DIGEST_EFI32]);
        if (p->layout.sector_size != 512)
            hash_field(&c, "sector-size", &p->layout.sector_size, sizeof p->layout.sector_size);
        hash_field(&c, "bootcfg", p->bootcfg, p->bootcfg_len);   /* the modules' hashes too */
        for (size_t i = 0; i < o->nfiles; i++) {
            hash_field(&c, "dest", o->files[i].dest, strlen(o->files[i].dest));
            bulk_field(&c, "file", &p->files[i], p->digests[MK_DIGEST_FILES + i]);
        }
        hash_field(&c, "size", &p->size, sizeof p->size);
        const char *label = o->label ? o->label : MK_DEFAULT_LABEL;
        hash_field(&c, "label", label, strlen(label));
    }
    sha256_final(&c, p->seed);
}

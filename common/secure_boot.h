/* The boot.cfg hash a signed UEFI loader carries (docs/secure-boot.md).
 *
 * The loader binary holds one struct cfg_enrolment in its data, built
 * with `enrolled` = 0. mkimage --sign-key finds it by its magic, writes
 * the SHA-256 of the exact boot.cfg it puts on the image and sets
 * `enrolled`, then signs the binary: the Authenticode signature, checked
 * by the firmware before the loader runs, covers the hash, and the loader
 * checks boot.cfg against it; boot.cfg in turn holds the kernel's and
 * every module's hash. That is the chain from the firmware's db key to
 * every byte the loader reads. */
#ifndef HYBOOT_SECURE_BOOT_H
#define HYBOOT_SECURE_BOOT_H

#include <stdint.h>

#define CFG_ENROLMENT_MAGIC   "HYBOOT-CFGHASH-1"   /* 16 bytes, no NUL in the binary */
#define CFG_ENROLMENT_VERSION 1

struct cfg_enrolment {
    char     magic[16];
    uint32_t version;
    uint32_t enrolled;         /* 0 as built, 1 once mkimage wrote sha256 */
    uint8_t  sha256[32];
};
_Static_assert(sizeof(struct cfg_enrolment) == 56, "cfg_enrolment layout");

/* Finds the one enrolment record in a loader file (n bytes): its offset,
 * or -1 with *why set (none, two, an unknown version). mkimage writes
 * through it, --inspect reads it (common/cfg_enrolment.c). */
#include <stddef.h>
long cfg_enrolment_find(const uint8_t *d, size_t n, const char **why);

/* Where the loader looks for keys to enrol on a machine in Setup Mode:
 * EFI signature lists wrapped as time-based authenticated variables
 * (what efitools' sign-efi-sig-list writes). db and KEK go in first; PK
 * last, because setting PK ends Setup Mode. */
#define SB_KEYS_DIR "/EFI/hyboot/keys"
#define SB_KEY_PK   "PK.auth"
#define SB_KEY_KEK  "KEK.auth"
#define SB_KEY_DB   "db.auth"
/* Larger is not an authenticated variable of ours: refused by mkimage
 * --enroll-keys and by the loader alike. */
#define SB_KEY_MAX_BYTES (1u << 20)

#endif

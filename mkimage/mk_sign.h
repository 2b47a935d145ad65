/* Secure Boot signing (docs/secure-boot.md): the boot.cfg hash enrolled
 * into each EFI loader (common/secure_boot.h), then an Authenticode
 * signature (common/pe.h) made with the user's key. The private-key
 * operation is OpenSSL's `openssl` program, run only when signing is
 * asked for, so mkimage itself stays libc-only; everything else (the PE
 * hash, the PKCS#7 structure) is ours and deterministic: same inputs,
 * same signed bytes. */
#ifndef HYBOOT_MK_SIGN_H
#define HYBOOT_MK_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "der.h"

/* sign.c: writes the boot.cfg hash into the loader's enrolment
 * record. NULL, or why it cannot (no record, two records, a version this
 * mkimage does not know). */
const char *mk_enrol_cfg_hash(uint8_t *pe, size_t n, const uint8_t cfg_sha256[32]);

/* sign_pkcs7.c: the DER to sign (the authenticated attributes, as a SET)
 * for an image whose Authenticode hash is `digest`. Allocated. */
uint8_t *mk_authenticode_attrs(const uint8_t digest[32], size_t *len);
/* The PKCS#7 SignedData around `digest`, certificate `cert` (DER) and the
 * RSA signature of mk_authenticode_attrs' bytes. Allocated. */
uint8_t *mk_authenticode_pkcs7(const uint8_t digest[32], const struct der_cert *cert, const uint8_t *sig,
                               size_t sig_len, size_t *len);
/* Appends the signature to an image (n bytes, unsigned; the buffer is
 * reallocated): pads it to 8 bytes, sets the security directory, adds the
 * WIN_CERTIFICATE and recomputes the PE CheckSum. `digest` must be the
 * Authenticode hash of the padded image. Returns the new size. */
size_t mk_pe_append_signature(uint8_t **pe, size_t n, const uint8_t *pkcs7, size_t len);

/* sign.c: the signer. Open reads and checks --sign-key (with
 * --sign-pass), --sign-cert, reporting against those options; sign
 * enrols the hash and signs one loader (an allocated copy). */
struct mk_opts;
struct mk_signer;
int mk_signer_open(struct mk_signer **s, const struct mk_opts *o);
int mk_sign_loader(struct mk_signer *s, const uint8_t *in, size_t n, const uint8_t cfg_sha256[32],
                   const char *input, uint8_t **out, size_t *out_len);
void mk_signer_close(struct mk_signer *s);

#endif

/* A minimal DER (ASN.1) reader for what hyboot reads of X.509 and
 * PKCS#7: mkimage takes the signer's issuer, serial number and public key
 * from --sign-cert, and --inspect shows who signed an installed loader.
 * The input is untrusted (any file on any stick): every length is checked
 * against the bytes that remain before it is used, and nothing recurses
 * deeper than the fixed paths below. Freestanding, like all of common/. */
#ifndef HYBOOT_DER_H
#define HYBOOT_DER_H

#include <stddef.h>
#include <stdint.h>

#define DER_INTEGER    0x02
#define DER_BITSTRING  0x03
#define DER_OCTETS     0x04
#define DER_NULL       0x05
#define DER_OID        0x06
#define DER_SEQUENCE   0x30
#define DER_SET        0x31
#define DER_CTX(n)     (0xa0 | (n))     /* [n] constructed */

/* One element: tag, the whole encoding (at, size) and its contents. */
struct der {
    uint8_t tag;
    const uint8_t *at;          /* first byte of the tag */
    size_t size;                /* tag + length + contents */
    const uint8_t *body;
    size_t len;
};

/* Reads the element at the start of buf (n bytes): one-byte tags, definite
 * lengths of at most 4 length bytes, contents inside buf. 0, or -1. */
int der_read(const uint8_t *buf, size_t n, struct der *out);
/* Reads the element at *pos inside parent's contents and moves *pos past
 * it; -1 at the end or on a bad element. */
int der_next(const struct der *parent, size_t *pos, struct der *out);

/* The fields of an X.509 certificate mkimage and --inspect need. */
struct der_cert {
    struct der whole;           /* the certificate's own encoding */
    struct der tbs, serial, issuer, subject, spki;
};
/* NULL, or a static reason the bytes are not a certificate. */
const char *der_cert_parse(const uint8_t *d, size_t n, struct der_cert *c);

/* The signer's certificate inside a PKCS#7 SignedData (an Authenticode
 * signature): the one whose issuer and serial number the first
 * SignerInfo names. NULL (cert filled), or a static reason. */
const char *der_pkcs7_signer(const uint8_t *d, size_t n, struct der *cert);

/* The image hash an Authenticode signature carries: the digest of the
 * SpcIndirectDataContent in a PKCS#7 SignedData (algorithm SHA-256 only).
 * NULL (out filled), or a static reason. It says which image the signer
 * signed; that the RSA signature over it is good is what firmware (or
 * sbverify) checks. */
const char *der_authenticode_digest(const uint8_t *d, size_t n, uint8_t out[32]);

/* A Name as one line, "CN=hyboot db, O=example" (well-known attribute
 * types by their short names, others as dotted OIDs; bytes outside
 * printable ASCII as '?'). Always NUL-terminates (cap > 0); returns the
 * length written. */
size_t der_name_format(const struct der *name, char *out, size_t cap);

#endif

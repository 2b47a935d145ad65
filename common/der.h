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

/* The object identifiers hyboot reads and writes (the OID's contents
 * bytes): one definition for the reader here and mkimage's writer. */
extern const uint8_t der_oid_sha256[9];          /* 2.16.840.1.101.3.4.2.1 */
extern const uint8_t der_oid_rsa[9];             /* 1.2.840.113549.1.1.1 rsaEncryption */
extern const uint8_t der_oid_signed_data[9];     /* 1.2.840.113549.1.7.2 */
extern const uint8_t der_oid_content_type[9];    /* 1.2.840.113549.1.9.3 */
extern const uint8_t der_oid_message_digest[9];  /* 1.2.840.113549.1.9.4 */
extern const uint8_t der_oid_spc_indirect[10];   /* 1.3.6.1.4.1.311.2.1.4 SPC_INDIRECT_DATA */
extern const uint8_t der_oid_spc_pe_image[10];   /* 1.3.6.1.4.1.311.2.1.15 SPC_PE_IMAGE_DATA */

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

/* 1 when e is an OID element with exactly these contents bytes. */
int der_oid_is(const struct der *e, const uint8_t *oid, size_t len);
#define DER_OID_IS(e, oid) der_oid_is((e), (oid), sizeof(oid))

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

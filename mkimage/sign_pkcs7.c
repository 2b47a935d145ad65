/* The Authenticode PKCS#7 SignedData, written by hand in DER (RFC 2315
 * section 9; Microsoft's Authenticode PE format for the content). Only
 * the two attributes firmware needs are signed, contentType and
 * messageDigest: no signing time, so the bytes depend on the inputs
 * alone (an RSA PKCS#1 v1.5 signature is deterministic too). */
#include "mk_sign.h"
#include "mk.h"
#include "pe.h"
#include "sha256.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct buf {
    uint8_t *p;
    size_t n;
};

static struct buf raw(const void *p, size_t n)
{
    struct buf b = { mk_zalloc(n), n };
    memcpy(b.p, p, n);
    return b;
}

/* Concatenates `count` buffers, freeing them. */
static struct buf cat(int count, ...)
{
    va_list ap;
    struct buf out = { NULL, 0 };
    va_start(ap, count);
    for (int i = 0; i < count; i++) {
        struct buf b = va_arg(ap, struct buf);
        out.p = mk_realloc(out.p, out.n + b.n);
        memcpy(out.p + out.n, b.p, b.n);
        out.n += b.n;
        free(b.p);
    }
    va_end(ap);
    return out;
}

/* tag + DER length + contents (freed). */
static struct buf tlv(uint8_t tag, struct buf c)
{
    uint8_t h[6];
    size_t k = 0;
    h[k++] = tag;
    if (c.n < 0x80) {
        h[k++] = (uint8_t)c.n;
    } else {
        int bytes = c.n > 0xffffff ? 4 : c.n > 0xffff ? 3 : c.n > 0xff ? 2 : 1;
        h[k++] = (uint8_t)(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--)
            h[k++] = (uint8_t)(c.n >> (8 * i));
    }
    return cat(2, raw(h, k), c);
}


#define OID(o) tlv(DER_OID, raw(o, sizeof o))
#define NULL_ raw("\x05\x00", 2)

static struct buf alg(const uint8_t *oid, size_t len)
{
    return tlv(DER_SEQUENCE, cat(2, tlv(DER_OID, raw(oid, len)), NULL_));
}

/* SpcIndirectDataContent: "a PE image" (flags empty, the file link the
 * obsolete "<<<Obsolete>>>" every signer writes) and the image's hash. */
static struct buf spc_indirect(const uint8_t digest[32])
{
    static const char obsolete[] = "<<<Obsolete>>>";
    uint8_t bmp[2 * (sizeof obsolete - 1)];
    for (size_t i = 0; i < sizeof obsolete - 1; i++) {
        bmp[2 * i] = 0;
        bmp[2 * i + 1] = (uint8_t)obsolete[i];
    }
    struct buf file = tlv(DER_CTX(0), tlv(DER_CTX(2), tlv(0x80, raw(bmp, sizeof bmp))));
    struct buf pe_image = tlv(DER_SEQUENCE, cat(2, tlv(DER_BITSTRING, raw("\x00", 1)), file));
    struct buf value = tlv(DER_SEQUENCE, cat(2, OID(der_oid_spc_pe_image), pe_image));
    struct buf digest_info = tlv(DER_SEQUENCE, cat(2, alg(der_oid_sha256, sizeof der_oid_sha256),
                                                   tlv(DER_OCTETS, raw(digest, 32))));
    return tlv(DER_SEQUENCE, cat(2, value, digest_info));
}

/* The attributes' contents (without the SET header): contentType, then
 * messageDigest over the SpcIndirectDataContent's contents octets (RFC
 * 2315 9.3: not its tag and length). In this order because DER sorts a
 * SET OF by encoding, and contentType's is shorter (0x30 0x19 < 0x30 0x2f). */
static struct buf attrs_body(const uint8_t digest[32])
{
    struct buf spc = spc_indirect(digest);
    struct der d;
    uint8_t md[32];
    if (der_read(spc.p, spc.n, &d))
        abort();                /* we just wrote it */
    sha256(d.body, d.len, md);
    free(spc.p);
    struct buf ct = tlv(DER_SEQUENCE, cat(2, OID(der_oid_content_type), tlv(DER_SET, OID(der_oid_spc_indirect))));
    struct buf mdattr = tlv(DER_SEQUENCE, cat(2, OID(der_oid_message_digest), tlv(DER_SET, tlv(DER_OCTETS, raw(md, 32)))));
    return cat(2, ct, mdattr);
}

uint8_t *mk_authenticode_attrs(const uint8_t digest[32], size_t *len)
{
    struct buf b = tlv(DER_SET, attrs_body(digest));
    *len = b.n;
    return b.p;
}

uint8_t *mk_authenticode_pkcs7(const uint8_t digest[32], const struct der_cert *cert, const uint8_t *sig,
                               size_t sig_len, size_t *len)
{
    struct buf signer = tlv(DER_SEQUENCE, cat(6,
        tlv(DER_INTEGER, raw("\x01", 1)),
        tlv(DER_SEQUENCE, cat(2, raw(cert->issuer.at, cert->issuer.size), raw(cert->serial.at, cert->serial.size))),
        alg(der_oid_sha256, sizeof der_oid_sha256),
        tlv(DER_CTX(0), attrs_body(digest)),
        alg(der_oid_rsa, sizeof der_oid_rsa),
        tlv(DER_OCTETS, raw(sig, sig_len))));
    struct buf content = tlv(DER_SEQUENCE, cat(2, OID(der_oid_spc_indirect), tlv(DER_CTX(0), spc_indirect(digest))));
    struct buf sd = tlv(DER_SEQUENCE, cat(5,
        tlv(DER_INTEGER, raw("\x01", 1)),
        tlv(DER_SET, alg(der_oid_sha256, sizeof der_oid_sha256)),
        content,
        tlv(DER_CTX(0), raw(cert->whole.at, cert->whole.size)),
        tlv(DER_SET, signer)));
    struct buf ci = tlv(DER_SEQUENCE, cat(2, OID(der_oid_signed_data), tlv(DER_CTX(0), sd)));
    *len = ci.n;
    return ci.p;
}

size_t mk_pe_append_signature(uint8_t **pe, size_t n, const uint8_t *pkcs7, size_t len)
{
    size_t padded = (size_t)mk_align_up(n, 8);
    size_t wlen = 8 + len, table = (size_t)mk_align_up(wlen, 8);
    uint8_t *d = mk_realloc(*pe, padded + table);
    memset(d + n, 0, padded + table - n);
    mk_put32(d + padded, (uint32_t)wlen);
    mk_put16(d + padded + 4, PE_WIN_CERT_REVISION);
    mk_put16(d + padded + 6, PE_WIN_CERT_PKCS7);
    memcpy(d + padded + 8, pkcs7, len);
    struct pe_sig_layout l;
    pe_sig_layout(d, padded, &l);       /* checked by the caller on the unsigned image */
    mk_put32(d + l.certdir_off, (uint32_t)padded);
    mk_put32(d + l.certdir_off + 4, (uint32_t)table);
    mk_put32(d + l.checksum_off, 0);
    mk_put32(d + l.checksum_off, pe_checksum(d, padded + table, l.checksum_off));
    *pe = d;
    return padded + table;
}

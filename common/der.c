/* Minimal DER reader (der.h). Each function walks a fixed path of the
 * structure (X.509: RFC 5280 section 4.1; PKCS#7 SignedData: RFC 2315
 * section 9.1), checking every tag it relies on. */
#include "der.h"
#include "mem.h"

const uint8_t der_oid_sha256[9] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01 };
const uint8_t der_oid_rsa[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
const uint8_t der_oid_signed_data[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
const uint8_t der_oid_content_type[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
const uint8_t der_oid_message_digest[9] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
const uint8_t der_oid_spc_indirect[10] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04 };
const uint8_t der_oid_spc_pe_image[10] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x0f };

int der_oid_is(const struct der *e, const uint8_t *oid, size_t len)
{
    return e->tag == DER_OID && e->len == len && memcmp(e->body, oid, len) == 0;
}

int der_read(const uint8_t *buf, size_t n, struct der *out)
{
    if (n < 2)
        return -1;
    uint8_t tag = buf[0];
    if ((tag & 0x1f) == 0x1f)
        return -1;                  /* multi-byte tags: never in what we read */
    size_t hdr = 2, len = buf[1];
    if (len & 0x80) {
        size_t k = len & 0x7f;
        if (k == 0 || k > 4 || n < 2 + k)
            return -1;              /* indefinite lengths are BER, not DER */
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = len << 8 | buf[2 + i];
        hdr += k;
    }
    if (len > n - hdr)
        return -1;
    out->tag = tag;
    out->at = buf;
    out->size = hdr + len;
    out->body = buf + hdr;
    out->len = len;
    return 0;
}

int der_next(const struct der *parent, size_t *pos, struct der *out)
{
    if (*pos >= parent->len || der_read(parent->body + *pos, parent->len - *pos, out))
        return -1;
    *pos += out->size;
    return 0;
}

/* The next element, which must have tag `tag`. */
static int expect(const struct der *parent, size_t *pos, uint8_t tag, struct der *out)
{
    return der_next(parent, pos, out) || out->tag != tag ? -1 : 0;
}

const char *der_cert_parse(const uint8_t *d, size_t n, struct der_cert *c)
{
    struct der cert, skip;
    size_t pos = 0, at;
    memset(c, 0, sizeof *c);
    if (der_read(d, n, &cert) || cert.tag != DER_SEQUENCE || expect(&cert, &pos, DER_SEQUENCE, &c->tbs))
        return "not a DER X.509 certificate";
    c->whole = cert;
    at = 0;
    struct der *tbs = &c->tbs;
    /* version [0] is optional (absent means v1) */
    if (der_next(tbs, &at, &c->serial))
        return "certificate: no serial number";
    if (c->serial.tag == DER_CTX(0) && der_next(tbs, &at, &c->serial))
        return "certificate: no serial number";
    if (c->serial.tag != DER_INTEGER)
        return "certificate: no serial number";
    if (expect(tbs, &at, DER_SEQUENCE, &skip) ||             /* signature algorithm */
        expect(tbs, &at, DER_SEQUENCE, &c->issuer) ||
        expect(tbs, &at, DER_SEQUENCE, &skip) ||             /* validity */
        expect(tbs, &at, DER_SEQUENCE, &c->subject) ||
        expect(tbs, &at, DER_SEQUENCE, &c->spki))
        return "certificate: fields missing or malformed";
    return 0;
}

static int same(const struct der *a, const struct der *b)
{
    return a->size == b->size && memcmp(a->at, b->at, a->size) == 0;
}

/* ContentInfo { signedData, [0] SignedData { version, digestAlgorithms,
 * contentInfo, ... } }: the SignedData (sd), the position after its
 * contentInfo (pos) and that contentInfo (content). Both readers below
 * walk this same path. */
static const char *signed_data(const uint8_t *d, size_t n, struct der *sd, size_t *pos, struct der *content)
{
    struct der ci, oid, wrap, e;
    size_t p = 0, q = 0;
    if (der_read(d, n, &ci) || ci.tag != DER_SEQUENCE || der_next(&ci, &p, &oid) ||
        !DER_OID_IS(&oid, der_oid_signed_data) || expect(&ci, &p, DER_CTX(0), &wrap) ||
        expect(&wrap, &q, DER_SEQUENCE, sd))
        return "not a PKCS#7 SignedData";
    *pos = 0;
    if (expect(sd, pos, DER_INTEGER, &e) || expect(sd, pos, DER_SET, &e) || expect(sd, pos, DER_SEQUENCE, content))
        return "SignedData: version, digest algorithms or content missing";
    return 0;
}

const char *der_pkcs7_signer(const uint8_t *d, size_t n, struct der *cert)
{
    struct der sd, e, certs = { 0 }, infos = { 0 };
    size_t pos;
    const char *why = signed_data(d, n, &sd, &pos, &e);
    if (why)
        return why;
    while (!der_next(&sd, &pos, &e)) {
        if (e.tag == DER_CTX(0))
            certs = e;
        else if (e.tag == DER_SET)
            infos = e;
    }
    if (!certs.at)
        return "SignedData holds no certificate";
    /* The first SignerInfo's issuer and serial number. */
    struct der si, v, ias, issuer = { 0 }, serial = { 0 };
    size_t ip = 0, sp = 0, ap = 0;
    int named = infos.at && !expect(&infos, &ip, DER_SEQUENCE, &si) && !expect(&si, &sp, DER_INTEGER, &v) &&
                !expect(&si, &sp, DER_SEQUENCE, &ias) && !expect(&ias, &ap, DER_SEQUENCE, &issuer) &&
                !expect(&ias, &ap, DER_INTEGER, &serial);
    if (!named)
        return "SignedData: no SignerInfo naming its certificate";
    size_t cp = 0;
    struct der c;
    while (!der_next(&certs, &cp, &c)) {
        struct der_cert f;
        if (c.tag == DER_SEQUENCE && !der_cert_parse(c.at, c.size, &f) && same(&f.issuer, &issuer) &&
            same(&f.serial, &serial)) {
            *cert = c;
            return 0;
        }
    }
    return "SignedData: the signer's certificate is not in it";
}

const char *der_authenticode_digest(const uint8_t *d, size_t n, uint8_t out[32])
{
    /* contentInfo { SPC_INDIRECT_DATA, [0] { data, DigestInfo { alg, digest } } } */
    struct der sd, content, e, cwrap, spc, digest_info, alg, oid, octets;
    size_t pos, p4 = 0, p5 = 0, p6 = 0, p7 = 0, pa = 0;
    if (signed_data(d, n, &sd, &pos, &content) || der_next(&content, &p4, &e) ||
        !DER_OID_IS(&e, der_oid_spc_indirect) || expect(&content, &p4, DER_CTX(0), &cwrap) ||
        expect(&cwrap, &p5, DER_SEQUENCE, &spc) || expect(&spc, &p6, DER_SEQUENCE, &e) ||
        expect(&spc, &p6, DER_SEQUENCE, &digest_info) || expect(&digest_info, &p7, DER_SEQUENCE, &alg) ||
        expect(&digest_info, &p7, DER_OCTETS, &octets))
        return "not an Authenticode signature";
    if (der_next(&alg, &pa, &oid) || !DER_OID_IS(&oid, der_oid_sha256))
        return "the signature's image hash is not SHA-256";
    if (octets.len != 32)
        return "the signature's image hash is not 32 bytes";
    memcpy(out, octets.body, 32);
    return 0;
}

/* ---- der_name_format ----------------------------------------------------- */

struct out {
    char *s;
    size_t cap, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->cap)
        o->s[o->len++] = c;
    o->s[o->len < o->cap ? o->len : o->cap - 1] = 0;
}

static void puts_(struct out *o, const char *s)
{
    while (*s)
        put(o, *s++);
}

static void put_uint(struct out *o, uint32_t v)
{
    char buf[12];
    int k = 0;
    do {
        buf[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        put(o, buf[--k]);
}

/* 2.5.4.x attribute types by name, everything else dotted. */
static void put_type(struct out *o, const struct der *oid)
{
    static const struct { uint8_t x; const char *name; } known[] = {
        { 3, "CN" }, { 5, "serialNumber" }, { 6, "C" }, { 7, "L" }, { 8, "ST" }, { 10, "O" }, { 11, "OU" },
    };
    if (oid->len == 3 && oid->body[0] == 0x55 && oid->body[1] == 0x04)
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (known[i].x == oid->body[2]) {
                puts_(o, known[i].name);
                return;
            }
    if (oid->len == 0) {
        put(o, '?');
        return;
    }
    put_uint(o, oid->body[0] / 40 < 2 ? oid->body[0] / 40 : 2);
    put(o, '.');
    put_uint(o, oid->body[0] / 40 < 2 ? oid->body[0] % 40 : (uint32_t)oid->body[0] - 80);
    uint32_t v = 0;
    for (size_t i = 1; i < oid->len; i++) {
        if (v > 0x1ffffff) {        /* an arc too long to print: stop here */
            put(o, '?');
            return;
        }
        v = v << 7 | (oid->body[i] & 0x7f);
        if (!(oid->body[i] & 0x80)) {
            put(o, '.');
            put_uint(o, v);
            v = 0;
        }
    }
}

size_t der_name_format(const struct der *name, char *s, size_t cap)
{
    struct out o = { s, cap, 0 };
    if (!cap)
        return 0;
    s[0] = 0;
    size_t pos = 0;
    struct der rdn;
    int first = 1;
    while (!der_next(name, &pos, &rdn)) {
        if (rdn.tag != DER_SET)
            break;
        size_t rp = 0;
        struct der atv;
        while (!der_next(&rdn, &rp, &atv)) {
            struct der type, value;
            size_t ap = 0;
            if (atv.tag != DER_SEQUENCE || expect(&atv, &ap, DER_OID, &type) || der_next(&atv, &ap, &value))
                continue;
            if (!first)
                puts_(&o, ", ");
            first = 0;
            put_type(&o, &type);
            put(&o, '=');
            for (size_t i = 0; i < value.len; i++) {
                uint8_t c = value.body[i];
                put(&o, c >= 0x20 && c < 0x7f ? (char)c : '?');
            }
        }
    }
    return o.len;
}

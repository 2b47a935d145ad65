/* Secure Boot parsing in common/: the Authenticode hash and signature
 * lookup of common/pe.c, the DER reader of common/der.c (X.509 fields,
 * PKCS#7 signer, names), and the boot.cfg hash record finder; then
 * mkimage's PKCS#7 writer read back by the reader. Every truncation and
 * every single-byte change of a signature is read without a read outside
 * the buffer (ASan) or a crash. */
#define _GNU_SOURCE             /* memmem */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "der.h"
#include "mk_sign.h"
#include "pe.h"
#include "secure_boot.h"
#include "sha256.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

/* A self-signed P-256 certificate: C=DE, O=hyboot tests, CN=unit test
 * cert, serial 0x01234567 (openssl req -x509). */
static const unsigned char test_cert[] = {
  0x30, 0x82, 0x01, 0xc1, 0x30, 0x82, 0x01, 0x67, 0xa0, 0x03, 0x02, 0x01,
  0x02, 0x02, 0x04, 0x01, 0x23, 0x45, 0x67, 0x30, 0x0a, 0x06, 0x08, 0x2a,
  0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x3d, 0x31, 0x0b, 0x30,
  0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x44, 0x45, 0x31, 0x15,
  0x30, 0x13, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x0c, 0x68, 0x79, 0x62,
  0x6f, 0x6f, 0x74, 0x20, 0x74, 0x65, 0x73, 0x74, 0x73, 0x31, 0x17, 0x30,
  0x15, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0e, 0x75, 0x6e, 0x69, 0x74,
  0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x65, 0x72, 0x74, 0x30, 0x20,
  0x17, 0x0d, 0x32, 0x36, 0x31, 0x32, 0x30, 0x32, 0x31, 0x32, 0x35, 0x31,
  0x34, 0x30, 0x5a, 0x18, 0x0f, 0x32, 0x31, 0x32, 0x36, 0x31, 0x31, 0x30,
  0x38, 0x31, 0x32, 0x35, 0x31, 0x34, 0x30, 0x5a, 0x30, 0x3d, 0x31, 0x0b,
  0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x44, 0x45, 0x31,
  0x15, 0x30, 0x13, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x0c, 0x68, 0x79,
  0x62, 0x6f, 0x6f, 0x74, 0x20, 0x74, 0x65, 0x73, 0x74, 0x73, 0x31, 0x17,
  0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0e, 0x75, 0x6e, 0x69,
  0x74, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x65, 0x72, 0x74, 0x30,
  0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
  0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42,
  0x00, 0x04, 0x0f, 0xcc, 0xb0, 0x3c, 0x40, 0xae, 0x3a, 0x43, 0x9a, 0x03,
  0xc6, 0x55, 0x9a, 0x48, 0x31, 0x1a, 0xc1, 0xb7, 0xea, 0xff, 0xdc, 0x90,
  0x2f, 0xe0, 0x44, 0x00, 0x4e, 0x15, 0xec, 0xa3, 0x2c, 0x2d, 0x80, 0x60,
  0x2f, 0xce, 0x94, 0xc5, 0xb7, 0xc8, 0x8b, 0xe7, 0x32, 0x5d, 0xfb, 0x50,
  0x99, 0x95, 0x23, 0x39, 0x6d, 0x0a, 0xe0, 0x6d, 0xd2, 0x19, 0x0a, 0x42,
  0xe7, 0x76, 0x77, 0xce, 0x7a, 0x51, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d,
  0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16, 0x04, 0x14, 0xb0, 0x34, 0x3d,
  0xef, 0x99, 0x48, 0x6a, 0x7f, 0x0c, 0x7e, 0xff, 0xb6, 0xae, 0xf4, 0x64,
  0xbc, 0x4e, 0xc3, 0xdf, 0x9e, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23,
  0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0xb0, 0x34, 0x3d, 0xef, 0x99, 0x48,
  0x6a, 0x7f, 0x0c, 0x7e, 0xff, 0xb6, 0xae, 0xf4, 0x64, 0xbc, 0x4e, 0xc3,
  0xdf, 0x9e, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff,
  0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0a, 0x06, 0x08, 0x2a,
  0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45,
  0x02, 0x21, 0x00, 0x93, 0x4a, 0xe2, 0xf4, 0xff, 0xdc, 0xcd, 0x79, 0x3a,
  0x7f, 0x80, 0xc0, 0x70, 0x00, 0x01, 0x50, 0x3b, 0xf0, 0xbb, 0xeb, 0x34,
  0xdb, 0x46, 0xc6, 0x56, 0x5b, 0x35, 0x03, 0x2f, 0xb3, 0xad, 0xe2, 0x02,
  0x20, 0x11, 0xac, 0xc8, 0xa8, 0x85, 0xc9, 0xf3, 0xf1, 0x5b, 0x73, 0x03,
  0x96, 0x27, 0xb2, 0x25, 0xc7, 0x7d, 0x93, 0x4c, 0xae, 0x55, 0xe6, 0x59,
  0x6a, 0xd0, 0x42, 0x42, 0xc2, 0xa8, 0xdf, 0x4a, 0x2c
};

#define PE  0x80
#define OPT (PE + 24)
#define SEC (OPT + 240)
#define IMG 0x800

/* A PE32+ image: headers to 0x200, two sections listed in the opposite
 * order of their file offsets (.b at 0x400, .a at 0x200), 0x100 bytes of
 * extra data after them, then room for a certificate table. */
static uint8_t img[IMG + 0x200];
static void build(void)
{
    memset(img, 0, sizeof img);
    for (size_t i = 0x200; i < IMG; i++)
        img[i] = (uint8_t)(i * 7 + 3);
    img[0] = 'M';
    img[1] = 'Z';
    put32(img + 0x3c, PE);
    memcpy(img + PE, "PE\0\0", 4);
    put16(img + PE + 4, PE_MACHINE_X64);
    put16(img + PE + 6, 2);
    put16(img + PE + 20, 240);
    put16(img + PE + 22, 0x22);
    put16(img + OPT, PE_OPT_MAGIC_PE32PLUS);
    put32(img + OPT + 16, 0x1000);
    put32(img + OPT + 56, 0x4000);
    put32(img + OPT + 60, 0x200);          /* SizeOfHeaders */
    put32(img + OPT + 64, 0xdeadbeef);     /* CheckSum: not hashed */
    put16(img + OPT + 68, PE_SUBSYSTEM_EFI_APP);
    put32(img + OPT + 108, 16);            /* data directories */
    memcpy(img + SEC, ".b", 2);
    put32(img + SEC + 16, 0x200);
    put32(img + SEC + 20, 0x400);
    memcpy(img + SEC + 40, ".a", 2);
    put32(img + SEC + 40 + 16, 0x200);
    put32(img + SEC + 40 + 20, 0x200);
}

/* The hash written out from the specification's steps, by offsets. */
static void expected(size_t end, uint8_t out[32])
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, img, OPT + 64);
    sha256_update(&c, img + OPT + 68, (OPT + 112 + 32) - (OPT + 68));
    sha256_update(&c, img + OPT + 112 + 40, 0x200 - (OPT + 112 + 40));
    sha256_update(&c, img + 0x200, 0x200);     /* .a, first in the file */
    sha256_update(&c, img + 0x400, 0x200);     /* .b */
    sha256_update(&c, img + 0x600, end - 0x600);
    sha256_final(&c, out);
}

static void test_pe(void)
{
    uint8_t got[32], want[32];
    build();
    CHECK(!pe_check(img, IMG, PE_MACHINE_X64, NULL), "authenticode: the test image is a valid PE");
    CHECK(!pe_authenticode_sha256(img, IMG, got), "authenticode: hash of an unsigned image");
    expected(IMG, want);
    CHECK(!memcmp(got, want, 32), "authenticode: headers less CheckSum and security entry, sections in file order, extra data");
    put32(img + OPT + 64, 0x12345678);
    put32(img + OPT + 112 + 32, 0x11111111);
    CHECK(pe_authenticode_sha256(img, IMG, got) != NULL, "authenticode: a certificate table not at the end refused");
    put32(img + OPT + 112 + 32, 0);
    CHECK(!pe_authenticode_sha256(img, IMG, got) && !memcmp(got, want, 32), "authenticode: CheckSum is not hashed");

    /* A certificate table at the end: not hashed, and pe_signature finds
     * the PKCS#7 inside its WIN_CERTIFICATE. */
    build();
    put32(img + OPT + 112 + 32, IMG);
    put32(img + OPT + 112 + 36, 0x20);
    put32(img + IMG, 8 + 5);
    put16(img + IMG + 4, PE_WIN_CERT_REVISION);
    put16(img + IMG + 6, PE_WIN_CERT_PKCS7);
    memcpy(img + IMG + 8, "\x30\x03\x02\x01\x01", 5);
    size_t len = 0;
    const uint8_t *sig = pe_signature(img, IMG + 0x20, &len);
    CHECK(sig == img + IMG + 8 && len == 5, "authenticode: pe_signature finds the PKCS#7");
    CHECK(!pe_authenticode_sha256(img, IMG + 0x20, got) && !memcmp(got, want, 32),
          "authenticode: the certificate table and its entry are not hashed");
    put32(img + IMG, 0x7fffffff);
    CHECK(!pe_signature(img, IMG + 0x20, &len) && len == 0, "authenticode: a WIN_CERTIFICATE longer than its table refused");
    put32(img + OPT + 112 + 36, 0xfffffff0);
    CHECK(!pe_signature(img, IMG + 0x20, &len), "authenticode: a table past the file refused");
    build();
    int all = 1;
    for (size_t n = 0; n < IMG; n += 3)
        all &= pe_authenticode_sha256(img, n, got) != NULL || n >= 0x600;
    CHECK(all, "authenticode: truncated images refused, reads stay inside (ASan)");
    put32(img + SEC + 16, 0xfffffff0);
    CHECK(pe_authenticode_sha256(img, IMG, got) != NULL, "authenticode: a section past the file refused");

    /* PE checksum: the field itself does not count, the length does. */
    build();
    uint32_t a = pe_checksum(img, IMG, OPT + 64);
    put32(img + OPT + 64, 0x55555555);
    CHECK(pe_checksum(img, IMG, OPT + 64) == a && a > IMG, "authenticode: PE CheckSum ignores its own field");
}

static void test_der(void)
{
    struct der_cert c;
    char name[128];
    CHECK(!der_cert_parse(test_cert, sizeof test_cert, &c), "der: a certificate parses");
    CHECK(c.whole.size == sizeof test_cert && c.serial.len == 4 && !memcmp(c.serial.body, "\x01\x23\x45\x67", 4),
          "der: serial number");
    der_name_format(&c.subject, name, sizeof name);
    CHECK(!strcmp(name, "C=DE, O=hyboot tests, CN=unit test cert"), "der: subject as one line");
    der_name_format(&c.issuer, name, 10);
    CHECK(!strcmp(name, "C=DE, O=h"), "der: a short buffer truncates and terminates");
    int all = 1;
    for (size_t n = 0; n < sizeof test_cert; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, test_cert, n);
        all &= der_cert_parse(copy, n, &c) != NULL;
        free(copy);
    }
    CHECK(all, "der: every truncated certificate refused (ASan)");
    static const uint8_t indefinite[] = { 0x30, 0x80, 0x00, 0x00 }, huge[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff };
    struct der d;
    CHECK(der_read(indefinite, sizeof indefinite, &d) && der_read(huge, sizeof huge, &d), "der: indefinite and oversized lengths refused");
    /* An OID that is not a 2.5.4.x attribute is shown dotted. */
    static const uint8_t odd_name[] = { 0x30, 0x10, 0x31, 0x0e, 0x30, 0x0c, 0x06, 0x07, 0x2b, 0x06, 0x01, 0x04,
                                        0x01, 0x82, 0x0c, 0x0c, 0x01, 0x41 };
    CHECK(!der_read(odd_name, sizeof odd_name, &d), "der: a name with an unknown attribute reads");
    der_name_format(&d, name, sizeof name);
    CHECK(!strcmp(name, "1.3.6.1.4.1.268=A"), "der: unknown attribute dotted");
}

static void test_pkcs7(void)
{
    struct der_cert c;
    der_cert_parse(test_cert, sizeof test_cert, &c);
    uint8_t digest[32], sigbytes[256], got[32];
    for (int i = 0; i < 32; i++)
        digest[i] = (uint8_t)(i * 9);
    memset(sigbytes, 0xa5, sizeof sigbytes);
    size_t len;
    uint8_t *p7 = mk_authenticode_pkcs7(digest, &c, sigbytes, sizeof sigbytes, &len);
    struct der signer;
    CHECK(!der_pkcs7_signer(p7, len, &signer) && signer.size == sizeof test_cert &&
          !memcmp(signer.at, test_cert, sizeof test_cert), "pkcs7: the signer's certificate found by issuer and serial");
    CHECK(!der_authenticode_digest(p7, len, got) && !memcmp(got, digest, 32), "pkcs7: the signed image hash read back");
    size_t alen;
    uint8_t *attrs = mk_authenticode_attrs(digest, &alen);
    CHECK(attrs[0] == DER_SET && memmem(p7, len, attrs + 2, alen - 2) != NULL,
          "pkcs7: the signed attributes are those in the SignerInfo");
    free(attrs);
    /* Every truncation and every single-byte change reads safely. */
    int safe = 1;
    uint8_t *copy = malloc(len);
    for (size_t n = 0; n < len; n++) {
        memcpy(copy, p7, n);
        safe &= der_pkcs7_signer(copy, n, &signer) != NULL;
        der_authenticode_digest(copy, n, got);
    }
    CHECK(safe, "pkcs7: every truncation refused (ASan)");
    for (size_t i = 0; i < len; i++) {
        memcpy(copy, p7, len);
        copy[i] ^= (uint8_t)(0x80 | i);
        if (!der_pkcs7_signer(copy, len, &signer)) {
            struct der_cert f;
            char name[64];
            if (!der_cert_parse(signer.at, signer.size, &f))
                der_name_format(&f.subject, name, sizeof name);
        }
        der_authenticode_digest(copy, len, got);
    }
    CHECK(1, "pkcs7: every single-byte change read without a fault (ASan)");
    free(copy);
    free(p7);
}

static void test_enrolment(void)
{
    uint8_t buf[256] = { 0 };
    const char *why = NULL;
    CHECK(cfg_enrolment_find(buf, sizeof buf, &why) < 0 && strstr(why, "no boot.cfg hash record"), "enrolment: none found");
    struct cfg_enrolment e = { .magic = CFG_ENROLMENT_MAGIC, .version = CFG_ENROLMENT_VERSION };
    memcpy(buf + 100, &e, sizeof e);
    CHECK(cfg_enrolment_find(buf, sizeof buf, &why) == 100, "enrolment: found by its magic");
    CHECK(cfg_enrolment_find(buf, 100 + sizeof e - 1, &why) < 0, "enrolment: a record cut by the file's end refused");
    memcpy(buf + 10, &e, sizeof e);
    CHECK(cfg_enrolment_find(buf, sizeof buf, &why) < 0 && strstr(why, "two"), "enrolment: two records refused");
    memset(buf + 10, 0, sizeof e);
    put32(buf + 100 + 16, 2);
    CHECK(cfg_enrolment_find(buf, sizeof buf, &why) < 0 && strstr(why, "version"), "enrolment: an unknown version refused");
    uint8_t pe[256] = { 0 }, h[32];
    memset(h, 0x3c, sizeof h);
    memcpy(pe + 40, &e, sizeof e);
    CHECK(!mk_enrol_cfg_hash(pe, sizeof pe, h) && pe[40 + 20] == 1 && !memcmp(pe + 40 + 24, h, 32),
          "enrolment: mkimage writes enrolled=1 and the hash");
}

int main(void)
{
    test_pe();
    test_der();
    test_pkcs7();
    test_enrolment();
    return check_exit();
}

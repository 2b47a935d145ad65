/* The signer (mk_sign.h): the user's key and certificate read once, then
 * each loader enrolled and signed. The private-key steps run the `openssl`
 * program in a private temporary folder (mode 0700): one `openssl pkey`
 * that reads the key (asking for its passphrase on the terminal unless
 * --sign-pass gives it) and writes it unencrypted there, and one `openssl
 * dgst -sign` per loader. The folder is removed before the image is
 * written. */
#define _GNU_SOURCE             /* memmem */
#include "mk_sign.h"
#include "mk.h"
#include "mk_opts.h"
#include "pe.h"
#include "secure_boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct mk_signer {
    const struct mk_opts *o;
    char dir[256];
    uint8_t *cert_der;
    size_t cert_len;
    struct der_cert cert;
};

static char *path_in(const struct mk_signer *s, const char *name)
{
    size_t n = strlen(s->dir) + strlen(name) + 2;
    char *p = mk_zalloc(n);
    snprintf(p, n, "%s/%s", s->dir, name);
    return p;
}

static int read_all(const char *path, uint8_t **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 24)) {
        close(fd);
        return -1;
    }
    uint8_t *b = mk_zalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != (size_t)st.st_size) {
        free(b);
        return -1;
    }
    *data = b;
    *len = got;
    return 0;
}

static int write_all(const char *path, const uint8_t *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    return close(fd) == 0 && done == len ? 0 : -1;
}

/* Runs openssl with argv[1..]; its output goes nowhere (the results are
 * files), stdin and the terminal stay ours (a passphrase prompt). Returns
 * its exit status, 127 when it cannot be run. */
static int run_openssl(const char *const *argv)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 127;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execvp("openssl", (char *const *)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 127;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 126;
}

static const char no_openssl[] = "signing needs the openssl program, which was not found "
                                 "(Debian: apt-get install openssl)";

/* Is the key file an encrypted one (PKCS#8 or the legacy PEM header)? */
static int key_is_encrypted(const char *path)
{
    uint8_t *d;
    size_t n;
    if (read_all(path, &d, &n) < 0)
        return 0;
    int enc = memmem(d, n, "ENCRYPTED", 9) != NULL;
    free(d);
    return enc;
}

static int read_cert(struct mk_signer *s)
{
    const struct mk_opts *o = s->o;
    uint8_t *d;
    size_t n;
    if (read_all(o->sign_cert, &d, &n) < 0) {
        mk_opt_error(o, "sign-cert", "cannot read it: %s", errno ? strerror(errno) : "not a regular file");
        return -1;
    }
    /* PEM goes through openssl; DER is taken as it is. */
    if (n && d[0] != DER_SEQUENCE) {
        free(d);
        char *out = path_in(s, "cert.der");
        const char *argv[] = { "openssl", "x509", "-in", o->sign_cert, "-outform", "DER", "-out", out, NULL };
        int rc = run_openssl(argv);
        int bad = rc || read_all(out, &d, &n) < 0;
        unlink(out);
        free(out);
        if (bad) {
            mk_opt_error(o, "sign-cert", "%s", rc == 127 ? no_openssl : "not a PEM or DER X.509 certificate");
            return -1;
        }
    }
    const char *why = der_cert_parse(d, n, &s->cert);
    if (why || s->cert.whole.size != n) {
        free(d);
        mk_opt_error(o, "sign-cert", "%s", why ? why : "not a DER X.509 certificate (bytes after it)");
        return -1;
    }
    static const uint8_t rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
    struct der alg, oid;
    size_t p = 0, q = 0;
    if (der_next(&s->cert.spki, &p, &alg) || alg.tag != DER_SEQUENCE || der_next(&alg, &q, &oid) ||
        oid.len != sizeof rsa || memcmp(oid.body, rsa, sizeof rsa)) {
        free(d);
        mk_opt_error(o, "sign-cert", "its key is not an RSA key (UEFI firmware checks RSA signatures only)");
        return -1;
    }
    s->cert_der = d;
    s->cert_len = n;
    return 0;
}

/* Decrypts the key into the private folder and checks it is the
 * certificate's: its public half must be the certificate's. */
static int read_key(struct mk_signer *s)
{
    const struct mk_opts *o = s->o;
    if (access(o->sign_key, R_OK) < 0) {
        mk_opt_error(o, "sign-key", "cannot read it: %s", strerror(errno));
        return -1;
    }
    char *key = path_in(s, "key.pem"), *pub = path_in(s, "pub.der");
    const char *argv[12] = { "openssl", "pkey", "-in", o->sign_key, "-out", key };
    int k = 6;
    if (o->sign_pass) {
        argv[k++] = "-passin";
        argv[k++] = o->sign_pass;
    }
    argv[k] = NULL;
    int rc = run_openssl(argv), r = -1;
    if (rc) {
        int enc = key_is_encrypted(o->sign_key);
        mk_opt_error(o, "sign-key", "%s",
                     rc == 127 ? no_openssl
                     : enc && o->sign_pass ? "cannot decrypt the key: wrong passphrase (--sign-pass)"
                     : enc ? "the key is encrypted and no passphrase was read (give it with --sign-pass)"
                           : "not a PEM or DER private key");
        goto out;
    }
    const char *pargv[] = { "openssl", "pkey", "-in", key, "-pubout", "-outform", "DER", "-out", pub, NULL };
    uint8_t *d = NULL;
    size_t n = 0;
    if (run_openssl(pargv) || read_all(pub, &d, &n) < 0) {
        mk_opt_error(o, "sign-key", "openssl could not derive its public key");
        goto out;
    }
    if (n != s->cert.spki.size || memcmp(d, s->cert.spki.at, n) != 0)
        mk_opt_error(o, "sign-key", "not the private key of the certificate %s (--sign-cert)", o->sign_cert);
    else
        r = 0;
    free(d);
out:
    unlink(pub);
    free(pub);
    free(key);
    return r;
}

int mk_signer_open(struct mk_signer **out, const struct mk_opts *o)
{
    struct mk_signer *s = mk_zalloc(sizeof *s);
    s->o = o;
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/mkimage-sign.XXXXXX", tmp && *tmp && strlen(tmp) < 200 ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        mk_error(s->dir, "cannot create a private folder for signing: %s", strerror(errno));
        free(s);
        return MK_EXIT_FAIL;
    }
    *out = s;
    if (read_cert(s) < 0 || read_key(s) < 0) {
        mk_signer_close(s);
        *out = NULL;
        return MK_EXIT_FAIL;
    }
    return MK_EXIT_OK;
}

void mk_signer_close(struct mk_signer *s)
{
    if (!s)
        return;
    static const char *const names[] = { "key.pem", "pub.der", "cert.der", "attrs.der", "sig.bin" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = path_in(s, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(s->dir);
    free(s->cert_der);
    free(s);
}

const char *mk_enrol_cfg_hash(uint8_t *pe, size_t n, const uint8_t cfg_sha256[32])
{
    const char *why = NULL;
    long at = cfg_enrolment_find(pe, n, &why);
    if (at < 0)
        return why;
    struct cfg_enrolment e;
    memcpy(&e, pe + at, sizeof e);
    e.enrolled = 1;
    memcpy(e.sha256, cfg_sha256, 32);
    memcpy(pe + at, &e, sizeof e);
    return NULL;
}

int mk_sign_loader(struct mk_signer *s, const uint8_t *in, size_t n, const uint8_t cfg_sha256[32],
                   const char *input, uint8_t **out, size_t *out_len)
{
    size_t padded = (size_t)mk_align_up(n, 8);
    uint8_t *pe = mk_zalloc(padded);
    memcpy(pe, in, n);
    struct pe_sig_layout l;
    uint8_t digest[32];
    const char *why = mk_enrol_cfg_hash(pe, n, cfg_sha256);
    if (!why && !(why = pe_sig_layout(pe, padded, &l)) && l.cert_off)
        why = "is signed already: give the unsigned loader";
    if (!why)
        why = pe_authenticode_sha256(pe, padded, digest);
    if (why) {
        mk_error(input, "cannot sign it: %s", why);
        free(pe);
        return MK_EXIT_FAIL;
    }
    size_t alen;
    uint8_t *attrs = mk_authenticode_attrs(digest, &alen);
    char *apath = path_in(s, "attrs.der"), *spath = path_in(s, "sig.bin"), *key = path_in(s, "key.pem");
    const char *argv[] = { "openssl", "dgst", "-sha256", "-sign", key, "-out", spath, apath, NULL };
    uint8_t *sig = NULL;
    size_t slen = 0;
    int r = MK_EXIT_FAIL;
    if (write_all(apath, attrs, alen) < 0)
        mk_error(s->dir, "cannot write: %s", strerror(errno));
    else if (run_openssl(argv) || read_all(spath, &sig, &slen) < 0 || slen == 0)
        mk_opt_error(s->o, "sign-key", "openssl could not sign with it");
    else
        r = MK_EXIT_OK;
    unlink(apath);
    unlink(spath);
    free(apath);
    free(spath);
    free(key);
    free(attrs);
    if (r) {
        free(pe);
        free(sig);
        return r;
    }
    size_t plen;
    uint8_t *pkcs7 = mk_authenticode_pkcs7(digest, &s->cert, sig, slen, &plen);
    *out_len = mk_pe_append_signature(&pe, padded, pkcs7, plen);
    *out = pe;
    free(pkcs7);
    free(sig);
    return MK_EXIT_OK;
}

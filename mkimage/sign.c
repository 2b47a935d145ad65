/* The signer (mk_sign.h): the user's key and certificate read once, then
 * each loader enrolled and signed. The private-key steps run the `openssl`
 * program: one `openssl pkey` that reads the key (asking for its
 * passphrase on the terminal unless --sign-pass gives it) and hands it
 * back unencrypted on a pipe, and one `openssl dgst -sign` per loader.
 * The key and the data reach openssl on pipes (/dev/fd/3, /dev/fd/4) and
 * its output comes back on one: the decrypted key is never written to a
 * file. */
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
    uint8_t *cert_der;
    size_t cert_len;
    struct der_cert cert;
    uint8_t *key;               /* the private key, unencrypted PEM (wiped when done) */
    size_t key_len;
};

static int read_all(const char *path, uint8_t **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 24)) {
        close(fd);
        errno = 0;          /* the caller's message: not a regular file */
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

/* A pipe already holding `data` (fits the pipe's buffer: keys and the
 * bytes we sign are a few KiB), its write end closed: the child reads it
 * as /dev/fd/N, and no write can block or meet a closed reader. Returns
 * the read end, or -1. */
static int pipe_with(const uint8_t *data, size_t len)
{
    int fds[2];
    if (len > 60000 || pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fds[1], data + done, len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    close(fds[1]);
    if (done != len) {
        close(fds[0]);
        return -1;
    }
    return fds[0];
}

/* Runs openssl with argv: `in3`/`in4` (when not NULL) readable as
 * /dev/fd/3 and /dev/fd/4, its standard output returned in *out (NULL
 * out: discarded), its errors discarded, stdin and the terminal left ours
 * (a passphrase prompt). Returns its exit status, 127 when it cannot be
 * run. */
static int run_openssl(const char *const *argv, const uint8_t *in3, size_t len3, const uint8_t *in4, size_t len4,
                       uint8_t **out, size_t *out_len)
{
    int p3 = in3 ? pipe_with(in3, len3) : -1, p4 = in4 ? pipe_with(in4, len4) : -1, po[2] = { -1, -1 };
    if ((in3 && p3 < 0) || (in4 && p4 < 0) || (out && pipe2(po, O_CLOEXEC) < 0)) {
        close(p3);
        close(p4);
        return 127;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Out of the way first: the pipes may already sit on 1, 3 or 4
         * (and dup2 onto itself would keep close-on-exec). */
        int null = fcntl(open("/dev/null", O_WRONLY | O_CLOEXEC), F_DUPFD_CLOEXEC, 10);
        int o1 = out ? fcntl(po[1], F_DUPFD_CLOEXEC, 10) : null;
        int i3 = p3 >= 0 ? fcntl(p3, F_DUPFD_CLOEXEC, 10) : -1, i4 = p4 >= 0 ? fcntl(p4, F_DUPFD_CLOEXEC, 10) : -1;
        dup2(o1, 1);
        dup2(null, 2);
        if (i3 >= 0)
            dup2(i3, 3);
        if (i4 >= 0)
            dup2(i4, 4);
        execvp("openssl", (char *const *)argv);
        _exit(127);
    }
    close(p3);
    close(p4);
    close(po[1]);
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    while (out && pid > 0) {
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            buf = mk_realloc(buf, cap + 1);
        }
        ssize_t r = read(po[0], buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(po[0]);
    int st = 0;
    while (pid > 0 && waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            pid = -1;
    int rc = pid < 0 ? 127 : WIFEXITED(st) ? WEXITSTATUS(st) : 126;
    if (out && rc == 0) {
        *out = buf ? buf : mk_zalloc(1);
        *out_len = n;
    } else {
        if (buf)
            explicit_bzero(buf, cap);
        free(buf);
    }
    return rc;
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
        d = NULL;
        const char *argv[] = { "openssl", "x509", "-in", o->sign_cert, "-outform", "DER", NULL };
        int rc = run_openssl(argv, NULL, 0, NULL, 0, &d, &n);
        if (rc) {
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
    struct der alg, oid;
    size_t p = 0, q = 0;
    if (der_next(&s->cert.spki, &p, &alg) || alg.tag != DER_SEQUENCE || der_next(&alg, &q, &oid) ||
        !DER_OID_IS(&oid, der_oid_rsa)) {
        free(d);
        mk_opt_error(o, "sign-cert", "its key is not an RSA key (UEFI firmware checks RSA signatures only)");
        return -1;
    }
    s->cert_der = d;
    s->cert_len = n;
    return 0;
}

/* Reads the key (decrypting it) into memory and checks it is the
 * certificate's: its public half must be the certificate's. */
static int read_key(struct mk_signer *s)
{
    const struct mk_opts *o = s->o;
    if (access(o->sign_key, R_OK) < 0) {
        mk_opt_error(o, "sign-key", "cannot read it: %s", strerror(errno));
        return -1;
    }
    const char *argv[8] = { "openssl", "pkey", "-in", o->sign_key };
    int k = 4;
    if (o->sign_pass) {
        argv[k++] = "-passin";
        argv[k++] = o->sign_pass;
    }
    argv[k] = NULL;
    int rc = run_openssl(argv, NULL, 0, NULL, 0, &s->key, &s->key_len);
    if (rc) {
        int enc = key_is_encrypted(o->sign_key);
        mk_opt_error(o, "sign-key", "%s",
                     rc == 127 ? no_openssl
                     : enc && o->sign_pass ? "cannot decrypt the key: wrong passphrase (--sign-pass)"
                     : enc ? "the key is encrypted and no passphrase was read (give it with --sign-pass)"
                           : "not a PEM or DER private key");
        return -1;
    }
    const char *pargv[] = { "openssl", "pkey", "-in", "/dev/fd/3", "-pubout", "-outform", "DER", NULL };
    uint8_t *d = NULL;
    size_t n = 0;
    if (run_openssl(pargv, s->key, s->key_len, NULL, 0, &d, &n)) {
        mk_opt_error(o, "sign-key", "openssl could not derive its public key");
        return -1;
    }
    int r = -1;
    if (n != s->cert.spki.size || memcmp(d, s->cert.spki.at, n) != 0)
        mk_opt_error(o, "sign-key", "not the private key of the certificate %s (--sign-cert)", o->sign_cert);
    else
        r = 0;
    free(d);
    return r;
}

int mk_signer_open(struct mk_signer **out, const struct mk_opts *o)
{
    struct mk_signer *s = mk_zalloc(sizeof *s);
    s->o = o;
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
    if (s->key)
        explicit_bzero(s->key, s->key_len);
    free(s->key);
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
    size_t alen, slen = 0;
    uint8_t *attrs = mk_authenticode_attrs(digest, &alen), *sig = NULL;
    const char *argv[] = { "openssl", "dgst", "-sha256", "-sign", "/dev/fd/3", "-binary", "/dev/fd/4", NULL };
    int rc = run_openssl(argv, s->key, s->key_len, attrs, alen, &sig, &slen);
    free(attrs);
    if (rc || slen == 0) {
        mk_opt_error(s->o, "sign-key", "openssl could not sign with it");
        free(pe);
        free(sig);
        return MK_EXIT_FAIL;
    }
    size_t plen;
    uint8_t *pkcs7 = mk_authenticode_pkcs7(digest, &s->cert, sig, slen, &plen);
    *out_len = mk_pe_append_signature(&pe, padded, pkcs7, plen);
    *out = pe;
    free(pkcs7);
    free(sig);
    return MK_EXIT_OK;
}

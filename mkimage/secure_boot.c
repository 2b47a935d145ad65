/* The Secure Boot step of the plan (mk_plan.h): sign the EFI loaders for
 * the exact boot.cfg of this image, and put a key set on the ESP for the
 * loader's Setup Mode enrolment. docs/secure-boot.md. */
#include "mk_plan.h"
#include "mk_sign.h"
#include "pe.h"
#include "secure_boot.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the order uefi/secure_boot.c enrols them last to first: PK ends
 * Setup Mode. */
const char *const mk_sb_key_names[3] = { SB_KEY_PK, SB_KEY_KEK, SB_KEY_DB };

static int read_keys(struct mk_plan *p, const struct mk_opts *o)
{
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(o->enroll_keys) + strlen(mk_sb_key_names[i]) + 2;
        char *path = p->sb_key_paths[i] = mk_zalloc(n);
        snprintf(path, n, "%s/%s", o->enroll_keys, mk_sb_key_names[i]);
        if (mk_blob_open(path, SB_KEY_MAX_BYTES, &p->sb_keys[i]) < 0)
            return MK_EXIT_FAIL;
        if (p->sb_keys[i].size == 0) {
            mk_error(path, "is empty: not an authenticated variable (make keys writes these)");
            return MK_EXIT_FAIL;
        }
    }
    if (!o->sign_key)
        mk_warn(o->enroll_keys, "keys to enrol, but the loaders are not signed (--sign-key): once the "
                "keys are in, this machine's firmware will refuse them");
    return MK_EXIT_OK;
}

/* The blob now holds the signed bytes instead of the input file's. */
static void replace(struct mk_blob *b, uint8_t *data, size_t len)
{
    const char *path = b->path;
    mk_blob_free(b);
    b->path = path;
    b->fd = -1;
    b->data = data;
    b->size = len;
    b->owned = 1;
}

/* The shim + MOK route: shim where firmware looks, our loader where shim
 * looks. Both are PE x86-64 EFI applications; shim's signature is its
 * vendor's (Microsoft's, for Debian's shim-signed) and not ours to check. */
static int read_shim(struct mk_plan *p, const struct mk_opts *o)
{
    if (o->mok_manager && !o->shim) {
        mk_opt_error(o, "mok-manager", "MokManager is started by shim: give --shim too");
        return MK_EXIT_USAGE;
    }
    if (!o->shim)
        return MK_EXIT_OK;
    if (!o->efi) {
        mk_opt_error(o, "shim", "shim needs the loader it starts: give --efi too");
        return MK_EXIT_USAGE;
    }
    const char *why;
    if (mk_blob_open(o->shim, MK_FILE_MAX, &p->shim) < 0)
        return MK_EXIT_FAIL;
    if ((why = pe_check(p->shim.data, (size_t)p->shim.size, PE_MACHINE_X64, NULL))) {
        mk_error(o->shim, "shim: %s", why);
        return MK_EXIT_FAIL;
    }
    if (o->mok_manager) {
        if (mk_blob_open(o->mok_manager, MK_FILE_MAX, &p->mok_manager) < 0)
            return MK_EXIT_FAIL;
        if ((why = pe_check(p->mok_manager.data, (size_t)p->mok_manager.size, PE_MACHINE_X64, NULL))) {
            mk_error(o->mok_manager, "MokManager: %s", why);
            return MK_EXIT_FAIL;
        }
    }
    p->efi_dest = PE_SHIM_NEXT_X64;
    if (!o->sign_key)
        mk_warn(o->shim, "shim starts only a loader signed by a key in db or MOK: sign it (--sign-key)");
    return MK_EXIT_OK;
}

int mk_secure_boot_step(struct mk_plan *p, const struct mk_opts *o)
{
    if (o->enroll_keys && read_keys(p, o))
        return MK_EXIT_FAIL;
    int r = read_shim(p, o);
    if (r)
        return r;
    if (!o->sign_key && !o->sign_cert) {
        if (o->sign_pass)
            mk_opt_error(o, "sign-pass", "a passphrase, but nothing to sign: give --sign-key and --sign-cert");
        return o->sign_pass ? MK_EXIT_USAGE : MK_EXIT_OK;
    }
    if (!o->sign_key || !o->sign_cert) {
        mk_opt_error(o, o->sign_key ? "sign-key" : "sign-cert", "signing needs both --sign-key and --sign-cert");
        return MK_EXIT_USAGE;
    }
    if (!p->efi.path && !p->efi32.path) {
        mk_opt_error(o, "sign-key", "nothing to sign: the image has no EFI loader (--efi, --efi32)");
        return MK_EXIT_USAGE;
    }
    /* The hash is of the final boot.cfg: with the modules' hashes in. */
    r = mk_bootcfg_finish(p);
    if (r)
        return r;
    uint8_t cfg_sha[32];
    mk_sha256(p->bootcfg, p->bootcfg_len, cfg_sha);
    struct mk_signer *s;
    if ((r = mk_signer_open(&s, o)))
        return r;
    struct mk_blob *loaders[2] = { &p->efi, &p->efi32 };
    const char *inputs[2] = { o->efi, o->efi32 };
    for (int i = 0; i < 2 && !r; i++) {
        if (!loaders[i]->path)
            continue;
        uint8_t *out;
        size_t len;
        r = mk_sign_loader(s, loaders[i]->data, (size_t)loaders[i]->size, cfg_sha, inputs[i], &out, &len);
        if (!r)
            replace(loaders[i], out, len);
    }
    mk_signer_close(s);
    return r;
}

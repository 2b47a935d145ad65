/* --inspect, the ESP half: the FAT volume each firmware path finds (read
 * with common/fat.c, the loaders' driver), its two FAT copies, a bounded
 * walk of every file (common/fat_walk.c), and the boot files: the UEFI
 * loader (common/pe.c), boot.cfg (common/bootcfg.c, BOOTCFG_MAX_BYTES),
 * the kernel (common/elf.c, its SHA-256) and the modules (their
 * SHA-256). */
#include "inspect_int.h"
#include "mk_fat.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "der.h"
#include "secure_boot.h"
#include "elf.h"
#include "fat_walk.h"
#include "pe.h"
#include "sha256.h"

#define LIST_MAX_LINES 40

/* One ESP and the firmware paths that read it. */
struct esp_check {
    struct inspect *in;
    int paths;
    uint64_t lba, sectors;
    struct fat_vol vol;
    int list_lines, list_more;
    int cfg_hashed;            /* /boot/boot.cfg's SHA-256: 0 not yet, 1 in cfg_sha, -1 unreadable */
    uint8_t cfg_sha[32];
};

/* ---- reading files ---------------------------------------------------------- */

/* A FAT error, with the detail the driver keeps. */
static void fat_problem(struct esp_check *e, int paths, const char *what, int rc)
{
    struct inspect *in = e->in;
    if (rc == FAT_EIO)
        problem(in, paths, "%s: read error at LBA %" PRIu64 ": %s", shown(what), e->vol.last_error_lba,
                read_error(e->vol.last_error));
    else if (rc == FAT_ECORRUPT && e->vol.corrupt)
        problem(in, paths, "%s: %s: %s", shown(what), fat_strerror(rc), e->vol.corrupt);
    else
        problem(in, paths, "%s: %s", shown(what), fat_strerror(rc));
}

/* The FAT entries a read had to take from the second copy: stage2 does
 * the same, UEFI firmware (edk2's FAT driver) reads only the first. */
static void fallbacks_seen(struct esp_check *e, const char *what, uint32_t before)
{
    uint32_t n = e->vol.fallbacks - before;
    if (!n)
        return;
    if (e->paths & PATH_UEFI)
        problem(e->in, PATH_UEFI, "%s: its chain is damaged in FAT #1 (%" PRIu32 " entr%s read from FAT #2); "
                "UEFI firmware reads only FAT #1", shown(what), n, n == 1 ? "y" : "ies");
    if (e->paths & PATH_BIOS)
        note(e->in, "%s: stage2 reads %" PRIu32 " FAT entr%s of it from FAT #2 (FAT #1 is damaged there)",
             shown(what), n, n == 1 ? "y" : "ies");
}

/* Opens and reads a whole file; NULL (and a problem for `paths`) on
 * failure. The size is believed only once the chain is long enough for
 * it: a damaged entry claiming gigabytes costs no allocation. */
static uint8_t *read_whole(struct esp_check *e, const char *path, struct fat_file *f, int paths)
{
    uint32_t before = e->vol.fallbacks;
    int rc = fat_open(&e->vol, path, f);
    if (rc == FAT_OK && (f->attr & FAT_ATTR_DIRECTORY))
        rc = FAT_EISDIR;
    if (rc == FAT_OK)
        rc = fat_check_chain(&e->vol, f);
    if (rc) {
        fat_problem(e, paths, path, rc);
        return NULL;
    }
    uint8_t *buf = malloc(f->size ? f->size : 1);
    if (!buf) {
        problem(e->in, paths, "%s: cannot check it: no memory for its %s", shown(path), size_text(f->size));
        return NULL;
    }
    rc = fat_read_file(&e->vol, f, buf, f->size, 0);
    if (rc) {
        fat_problem(e, paths, path, rc);
        free(buf);
        return NULL;
    }
    fallbacks_seen(e, path, before);
    return buf;
}

/* ---- the volume --------------------------------------------------------------- */

static void volume_label(struct esp_check *e, char label[12])
{
    uint8_t sec[MK_SECTOR_MAX];
    struct fat_ext_tail t;
    label[0] = 0;
    if (read_sectors(e->in, e->lba, 1, sec))
        return;
    memcpy(&t, sec + FAT_TAIL_OFFSET(e->vol.type), sizeof t);
    if (t.boot_sig != FAT_EXT_BOOT_SIG)
        return;
    int n = 11;
    memcpy(label, t.volume_label, 11);
    while (n > 0 && label[n - 1] == ' ')
        n--;
    label[n] = 0;
}

/* The FAT copies side by side: a difference is damage (mkimage and every
 * formatter keep them equal). */
static void compare_fats(struct esp_check *e)
{
    const struct fat_vol *v = &e->vol;
    if (v->num_fats < 2 || !v->mirrored)
        return;
    uint32_t spv = v->bytes_per_sector / e->in->ss, chunk = 256;   /* FAT sectors per read */
    uint8_t *a = malloc((size_t)chunk * v->bytes_per_sector), *b = malloc((size_t)chunk * v->bytes_per_sector);
    uint64_t differ = 0, first = 0;
    int err = 0;
    for (uint32_t s = 0; a && b && s < v->fat_sectors && !err; s += chunk) {
        uint32_t n = v->fat_sectors - s < chunk ? v->fat_sectors - s : chunk;
        uint64_t la = e->lba + (uint64_t)(v->fat_lba + s) * spv, lb = la + (uint64_t)v->fat_sectors * spv;
        err = read_sectors(e->in, la, n * spv, a) || read_sectors(e->in, lb, n * spv, b);
        for (uint32_t k = 0; !err && k < n; k++)
            if (memcmp(a + (size_t)k * v->bytes_per_sector, b + (size_t)k * v->bytes_per_sector, v->bytes_per_sector)) {
                if (!differ++)
                    first = s + k;
            }
    }
    free(a);
    free(b);
    if (err)
        problem(e->in, 0, "cannot read both FAT copies to compare them");
    else if (differ)
        problem(e->in, 0, "FAT #1 and FAT #2 differ in %" PRIu64 " of %" PRIu32 " sectors (first: FAT sector %" PRIu64
                "): one copy is damaged", differ, v->fat_sectors, first);
    else
        say(e->in, "  FAT #1 and FAT #2 are identical\n");
}

static int walk_cb(void *ctx, enum fat_walk_what what, const char *path, const struct fat_file *f, int err,
                   const char *why)
{
    struct esp_check *e = ctx;
    if (what == FAT_WALK_PROBLEM) {
        problem(e->in, 0, "%s: %s (%s)", *path ? shown(path) : "/", why, fat_strerror(err));
    } else if (what == FAT_WALK_FILE) {
        if (e->list_lines++ < LIST_MAX_LINES)
            say(e->in, "  %10" PRIu32 "  %s\n", f->size, shown(path));
        else
            e->list_more++;
    }
    return 0;
}

static int mount_esp(struct esp_check *e)
{
    struct inspect *in = e->in;
    int rc = fat_mount_dev(&e->vol, read_fn, in, e->lba, in->ss);
    if (rc) {
        if (rc == FAT_EIO)
            problem(in, e->paths, "cannot read the ESP boot sector: %s", read_error(e->vol.last_error));
        else
            problem(in, e->paths, "the ESP does not hold a FAT file system the loaders can read: %s", fat_strerror(rc));
        return -1;
    }
    const struct fat_vol *v = &e->vol;
    char label[12];
    volume_label(e, label);
    uint64_t vol_sectors = v->total_sectors * (v->bytes_per_sector / in->ss);
    say(in, "  FAT%d, %" PRIu32 "-byte sectors, cluster size %s, %" PRIu32 " clusters, %s, label \"%s\"\n", v->type,
        v->bytes_per_sector, size_text((uint64_t)v->sectors_per_cluster * v->bytes_per_sector), v->clusters,
        size_text(vol_sectors * in->ss), shown(label));
    if (vol_sectors > e->sectors)
        problem(in, e->paths, "the FAT volume (%" PRIu64 " sectors) is larger than its partition (%" PRIu64 ")",
                vol_sectors, e->sectors);
    else if ((e->sectors - vol_sectors) * in->ss >= MK_ESP_OFFSET)
        note(in, "the FAT volume covers %s of the %s partition", size_text(vol_sectors * in->ss),
             size_text(e->sectors * in->ss));
    const char *quirk = mk_esp_size_quirk(e->sectors * in->ss, v->type);
    if (quirk)
        note(in, "%s", quirk);
    return 0;
}

/* ---- boot files -------------------------------------------------------------------- */

/* Secure Boot facts of an installed loader: who signed it, whether the
 * signed hash is this file's (a patched file is refused by firmware), and
 * whether the boot.cfg hash enrolled in it is that of /boot/boot.cfg.
 * Under Secure Boot either mismatch stops the boot, without it neither
 * does, hence notes and not problems. The RSA signature itself is
 * firmware's (or sbverify's) to check. */
static void secure_boot_report(struct esp_check *e, const char *path, const uint8_t *pe, size_t n)
{
    struct inspect *in = e->in;
    size_t siglen;
    const uint8_t *sig = pe_signature(pe, n, &siglen);
    if (!sig) {
        struct pe_sig_layout l;
        if (!pe_sig_layout(pe, n, &l) && l.cert_off)
            note(in, "%s: its certificate table holds no PKCS#7 signature", path);
        else
            say(in, "    signature: none (Secure Boot firmware refuses it)\n");
    } else {
        struct der cert;
        struct der_cert c;
        char subject[200];
        const char *why = der_pkcs7_signer(sig, siglen, &cert);
        if (!why)
            why = der_cert_parse(cert.at, cert.size, &c);
        if (why) {
            note(in, "%s: signed, but the signature cannot be read: %s", path, why);
        } else {
            der_name_format(&c.subject, subject, sizeof subject);
            say(in, "    signed by: %s\n", shown(subject));
        }
        uint8_t signed_hash[32], actual[32];
        const char *dwhy = der_authenticode_digest(sig, siglen, signed_hash);
        const char *awhy = pe_authenticode_sha256(pe, n, actual);
        if (dwhy || awhy)
            note(in, "%s: cannot compare the signed hash with the file: %s", path, dwhy ? dwhy : awhy);
        else if (memcmp(signed_hash, actual, 32) != 0)
            note(in, "%s: the signature is for other bytes than this file's: Secure Boot firmware refuses it", path);
        else
            say(in, "    signed hash: matches the file (Authenticode SHA-256)\n");
    }
    const char *why = NULL;
    long at = cfg_enrolment_find(pe, n, &why);
    if (at < 0) {
        say(in, "    boot.cfg hash: none (%s)\n", why);
        return;
    }
    struct cfg_enrolment rec;
    memcpy(&rec, pe + at, sizeof rec);
    if (rec.enrolled != 1) {
        say(in, "    boot.cfg hash: not enrolled\n");
        return;
    }
    if (!e->cfg_hashed) {      /* once per image, whichever loader asks first */
        struct fat_file f;
        uint8_t *cfg = NULL;
        if (fat_open(&e->vol, BOOTCFG_PATH, &f) == FAT_OK && !(f.attr & FAT_ATTR_DIRECTORY) &&
            f.size <= BOOTCFG_MAX_BYTES)
            cfg = read_whole(e, BOOTCFG_PATH, &f, 0);
        e->cfg_hashed = cfg ? 1 : -1;
        if (cfg)
            mk_sha256(cfg, f.size, e->cfg_sha);
        free(cfg);
    }
    if (e->cfg_hashed < 0) {
        note(in, "%s: a boot.cfg hash is enrolled, but there is no readable %s: the loader refuses to boot",
             path, BOOTCFG_PATH);
        return;
    }
    if (memcmp(e->cfg_sha, rec.sha256, 32) == 0)
        say(in, "    boot.cfg hash: enrolled, matches %s\n", BOOTCFG_PATH);
    else
        note(in, "%s: the enrolled boot.cfg hash differs from %s: with Secure Boot on the loader refuses "
             "to boot, with it off it warns", path, BOOTCFG_PATH);
}

/* One installed EFI loader: the PE check (a problem for path bit `bit`
 * when it fails), its line, its Secure Boot facts. by_shim: the loader
 * the shim in BOOTX64.EFI starts, rather than firmware. */
static void report_loader(struct esp_check *e, const char *path, struct fat_file *f, uint16_t machine, int bit,
                          int by_shim)
{
    uint8_t *pe = read_whole(e, path, f, bit);
    if (!pe)
        return;
    struct pe_info info;
    const char *why = pe_check(pe, f->size, machine, &info);
    if (why) {
        problem(e->in, bit, "%s: %s%s", path, why, by_shim ? " (shim starts it)" : "");
    } else {
        say(e->in, "  %s: %s %s EFI application, %" PRIu32 " bytes%s\n", path,
            info.magic == PE_OPT_MAGIC_PE32PLUS ? "PE32+" : "PE32", pe_machine_name(info.machine), f->size,
            by_shim ? ", the loader shim starts" : "");
        secure_boot_report(e, path, pe, f->size);
    }
    free(pe);
}

/* The loader firmware of one kind starts (pe.h): BOOTX64.EFI on 64-bit
 * UEFI (path PATH_UEFI64, summary line 1), BOOTIA32.EFI on 32-bit UEFI
 * (PATH_UEFI32, line 2). */
static void check_loader(struct esp_check *e, uint16_t machine)
{
    struct inspect *in = e->in;
    const char *path = pe_removable_path(machine);
    int bit = machine == PE_MACHINE_X64 ? PATH_UEFI64 : PATH_UEFI32, line = machine == PE_MACHINE_X64 ? 1 : 2;
    struct fat_file f, dir;
    int rc = fat_open(&e->vol, path, &f);
    if (rc == FAT_ENOENT || rc == FAT_ENOTDIR) {
        /* A BIOS-only image has no /EFI at all, and most have no
         * BOOTIA32.EFI; an /EFI folder without either loader is damage. */
        if (machine == PE_MACHINE_X64 && fat_open(&e->vol, "/EFI", &dir) == FAT_OK &&
            fat_open(&e->vol, pe_removable_path(PE_MACHINE_I386), &dir) != FAT_OK) {
            in->installed[line] = 1;
            problem(in, bit, "%s is missing: UEFI firmware has nothing to start", path);
        } else {
            in->installed[line] = 0;
        }
        return;
    }
    in->installed[line] = 1;
    report_loader(e, path, &f, machine, bit, 0);
}

/* The shim + MOK route: BOOTX64.EFI is shim and starts grubx64.efi,
 * which is then hyboot's loader; report it like BOOTX64.EFI. */
static void check_shim_next(struct esp_check *e)
{
    struct fat_file f;
    if (fat_open(&e->vol, PE_SHIM_NEXT_X64, &f) != FAT_OK || (f.attr & FAT_ATTR_DIRECTORY))
        return;
    report_loader(e, PE_SHIM_NEXT_X64, &f, PE_MACHINE_X64, PATH_UEFI64, 1);
}

/* Reads and parses boot.cfg into cfg (defaults when there is none). */
static void check_bootcfg(struct esp_check *e, struct boot_cfg *cfg)
{
    struct inspect *in = e->in;
    struct fat_file f;
    bootcfg_defaults(cfg);
    int rc = fat_open(&e->vol, BOOTCFG_PATH, &f);
    if (rc == FAT_ENOENT) {
        note(in, "no %s: the loaders use the defaults (kernel=%s, no hash check)", BOOTCFG_PATH, cfg->kernel);
        return;
    }
    if (rc == FAT_OK && !(f.attr & FAT_ATTR_DIRECTORY) && f.size > BOOTCFG_MAX_BYTES) {
        problem(in, e->paths, "%s is %" PRIu32 " bytes; the loaders read at most %u", BOOTCFG_PATH, f.size,
                BOOTCFG_MAX_BYTES);
        return;
    }
    uint8_t *text = read_whole(e, BOOTCFG_PATH, &f, e->paths);
    if (!text)
        return;
    const char *why = NULL;
    int line = bootcfg_parse(cfg, (const char *)text, f.size, &why);
    if (line)
        problem(in, e->paths, "%s line %d: %s (the loaders refuse it)", BOOTCFG_PATH, line, why);
    else
        say(in, "  %s: %" PRIu32 " bytes, kernel=%s cmdline=\"%s\"%s\n", BOOTCFG_PATH, f.size, shown(cfg->kernel),
            shown(cfg->cmdline), cfg->has_sha256 ? ", kernel_sha256 set" : "");
    free(text);
}

/* A file boot.cfg names, against its hash. */
static uint8_t *check_hashed(struct esp_check *e, const char *what, const char *key, const char *path, int has,
                             const uint8_t want[32], struct fat_file *f)
{
    struct inspect *in = e->in;
    uint8_t *data = read_whole(e, path, f, e->paths);
    if (!data)
        return NULL;
    uint8_t digest[SHA256_LEN];
    char hex[2 * SHA256_LEN + 1], wanthex[2 * SHA256_LEN + 1];
    mk_sha256(data, f->size, digest);
    sha256_hex(digest, hex);
    say(in, "  %s %s: %" PRIu32 " bytes, SHA-256 %s\n", what, shown(path), f->size, hex);
    if (!has) {
        note(in, "boot.cfg has no %s for %s: the loaders will not verify it", key, shown(path));
    } else if (memcmp(digest, want, SHA256_LEN) != 0) {
        sha256_hex(want, wanthex);
        problem(in, e->paths, "%s %s does not match boot.cfg's %s (%.16s...): the loaders refuse to boot it",
                what, shown(path), key, wanthex);
    } else {
        say(in, "  %s hash matches boot.cfg\n", what);
    }
    return data;
}

static void check_boot_files(struct esp_check *e)
{
    struct inspect *in = e->in;
    if (e->paths & PATH_UEFI) {
        check_loader(e, PE_MACHINE_X64);
        check_shim_next(e);
        check_loader(e, PE_MACHINE_I386);
    }
    struct boot_cfg *cfg = mk_zalloc(sizeof *cfg);
    check_bootcfg(e, cfg);

    struct fat_file f;
    uint8_t *k = check_hashed(e, "kernel", "kernel_sha256", cfg->kernel, cfg->has_sha256, cfg->kernel_sha256, &f);
    if (k) {
        struct elf_plan *plan = mk_zalloc(sizeof *plan);
        const char *why = elf_plan(k, f.size, plan);
        if (why)
            problem(in, e->paths, "kernel %s: %s", shown(cfg->kernel), why);
        else
            say(in, "  kernel ELF: %" PRIu32 " loadable segments, entry 0x%" PRIx64 ", %" PRIu64 " KiB at 0x%" PRIx64 "\n",
                plan->nseg, plan->entry, plan->span / 1024, plan->vbase);
        free(plan);
        free(k);
    }
    for (uint32_t i = 0; i < cfg->module_count; i++) {
        const struct boot_cfg_module *m = &cfg->modules[i];
        say(in, "  module %" PRIu32 ": %s, string \"%s\"\n", i + 1, shown(m->path), shown(m->string));
        free(check_hashed(e, "module", "module_sha256", m->path, m->has_sha256, m->sha256, &f));
    }
    free(cfg);
}

static void check_one(struct inspect *in, int paths, const struct esp_place *p)
{
    struct esp_check *e = mk_zalloc(sizeof *e);
    e->in = in;
    e->paths = paths;
    e->lba = p->lba;
    e->sectors = p->sectors;
    say(in, "\nESP file system (LBA %" PRIu64 "%s)\n", p->lba,
        paths == PATH_BOTH ? "" : paths == PATH_BIOS ? ", as stage2 reads it" : ", as UEFI firmware reads it");
    if (mount_esp(e) == 0) {
        compare_fats(e);
        say(in, "  files:\n");
        struct fat_walk *w = mk_zalloc(sizeof *w);
        fat_walk(&e->vol, w, walk_cb, e);
        free(w);
        if (e->list_more)
            say(in, "  ... and %d more\n", e->list_more);
        say(in, "\nboot files%s\n", paths == PATH_BOTH ? "" : paths == PATH_BIOS ? " (BIOS)" : " (UEFI)");
        check_boot_files(e);
    }
    free(e);
}

void check_esp(struct inspect *in)
{
    const struct esp_place *b = &in->esp[0], *u = &in->esp[1];
    int bios = b->found && in->installed[0] != 0, uefi = u->found;
    if (bios && uefi && b->lba == u->lba) {
        check_one(in, PATH_BOTH, b);
        return;
    }
    if (bios)
        check_one(in, PATH_BIOS, b);
    if (uefi)
        check_one(in, PATH_UEFI, u);
}

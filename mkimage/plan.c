/* The recipe of an image: checks the settings, reads and validates every
 * input, lays out the disk and the ESP, and renders the result. */
#include "mk_plan.h"
#include "mk_inputs.h"
#include "bootcfg.h"
#include "crc32.h"
#include "sha256.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

/* ---- settings ----------------------------------------------------------- */

/* "--size 12Q": the input an option error names. */
static const char *opt_input(const char *opt, const char *value)
{
    static char buf[4][256];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "--%s %s", opt, value ? value : "");
    return b;
}

static int parse_settings(struct mk_plan *p, const struct mk_opts *o)
{
    const char *why;
    p->size = MK_DEFAULT_SIZE;
    if (o->size) {
        if (mk_parse_size(o->size, &p->size, &why) < 0) {
            mk_error(opt_input("size", o->size), "%s", why);
            return MK_EXIT_USAGE;
        }
        if (p->size % SECTOR) {
            mk_error(opt_input("size", o->size), "not a multiple of 512 bytes");
            return MK_EXIT_USAGE;
        }
    }
    if (o->fat && strcmp(o->fat, "auto") != 0) {
        if (strcmp(o->fat, "12") && strcmp(o->fat, "16") && strcmp(o->fat, "32")) {
            mk_error(opt_input("fat", o->fat), "expected 12, 16, 32 or auto");
            return MK_EXIT_USAGE;
        }
        p->fat_type = atoi(o->fat);
    }
    struct mk_layout *l = &p->layout;
    l->mbr = MK_MBR_HYBRID;
    if (o->mbr) {
        if (!strcmp(o->mbr, "hybrid"))
            l->mbr = MK_MBR_HYBRID;
        else if (!strcmp(o->mbr, "protective"))
            l->mbr = MK_MBR_PROTECTIVE;
        else if (!strcmp(o->mbr, "mbr-only"))
            l->mbr = MK_MBR_ONLY;
        else {
            mk_error(opt_input("mbr", o->mbr), "expected hybrid, protective or mbr-only");
            return MK_EXIT_USAGE;
        }
    }
    l->esp_mbr_type = MBR_TYPE_EFI_SYSTEM;
    if (o->esp_mbr_type) {
        const char *t = o->esp_mbr_type;
        if (!strncasecmp(t, "0x", 2))
            t += 2;
        if (!strcasecmp(t, "ef"))
            l->esp_mbr_type = MBR_TYPE_EFI_SYSTEM;
        else if (!strcasecmp(t, "0c") || !strcasecmp(t, "c"))
            l->esp_mbr_type = MBR_TYPE_FAT32_LBA;
        else {
            mk_error(opt_input("esp-mbr-type", o->esp_mbr_type), "expected ef or 0c");
            return MK_EXIT_USAGE;
        }
    }
    l->active_ee = o->active_ee > 0;
    if (o->active_ee > 0 && l->mbr == MK_MBR_ONLY) {
        mk_error("--active-ee", "an mbr-only image has no 0xEE entry");
        return MK_EXIT_USAGE;
    }
    if (o->resolution) {
        unsigned w, h;
        char end;
        if (sscanf(o->resolution, "%ux%u%c", &w, &h, &end) != 2 || !w || !h || w > 65535 || h > 65535) {
            mk_error(opt_input("resolution", o->resolution), "expected WIDTHxHEIGHT, e.g. 1024x768");
            return MK_EXIT_USAGE;
        }
    }
    if (o->cmdline) {
        if (strpbrk(o->cmdline, "\r\n")) {
            mk_error("--cmdline", "a command line cannot contain a line break");
            return MK_EXIT_USAGE;
        }
        if (strlen(o->cmdline) >= BOOTCFG_CMDLINE_MAX) {
            mk_error("--cmdline", "longer than %d bytes", BOOTCFG_CMDLINE_MAX - 1);
            return MK_EXIT_USAGE;
        }
    }
    mk_fat_init(&p->fat);
    why = mk_fat_set_label(&p->fat, o->label ? o->label : MK_DEFAULT_LABEL);
    if (why) {
        mk_error(opt_input("label", o->label), "%s", why);
        return MK_EXIT_USAGE;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0) {
            mk_error("SOURCE_DATE_EPOCH", "\"%s\" is not a number of seconds since 1970", sde);
            return MK_EXIT_USAGE;
        }
        p->epoch = v;
        p->epoch_from_env = 1;
    } else {
        p->epoch = 315532800;   /* 1980-01-01: FAT's epoch, so no host clock leaks in */
    }
    mk_fat_set_time(&p->fat, p->epoch);

    if (!o->kernel) {
        mk_error(NULL, "no kernel given (--kernel FILE); see --help");
        return MK_EXIT_USAGE;
    }
    if (!o->stage1 != !o->stage2) {
        mk_error(o->stage1 ? o->stage1 : o->stage2,
                 "BIOS boot needs both --stage1 and --stage2 (or neither, for a UEFI-only image)");
        return MK_EXIT_USAGE;
    }
    if (!o->stage1 && !o->efi) {
        mk_error(NULL, "nothing would boot: give --efi, or --stage1 and --stage2, or all three");
        return MK_EXIT_USAGE;
    }
    return MK_EXIT_OK;
}

/* ---- inputs ------------------------------------------------------------- */

static const char *efi_check(const uint8_t *d, uint64_t n)
{
    /* A PE32+ image for x86-64: "MZ", e_lfanew at 0x3c, "PE\0\0", machine 0x8664. */
    if (n < 0x40 || d[0] != 'M' || d[1] != 'Z')
        return "not a PE/EFI executable (no \"MZ\" header)";
    uint32_t pe = (uint32_t)d[0x3c] | (uint32_t)d[0x3d] << 8 | (uint32_t)d[0x3e] << 16 | (uint32_t)d[0x3f] << 24;
    if ((uint64_t)pe + 6 > n || memcmp(d + pe, "PE\0\0", 4) != 0)
        return "not a PE/EFI executable (no PE signature)";
    if ((d[pe + 4] | d[pe + 5] << 8) != 0x8664)
        return "not an x86-64 EFI executable (BOOTX64.EFI must be x86-64)";
    return NULL;
}

static int read_inputs(struct mk_plan *p, const struct mk_opts *o)
{
    const char *why;
    if (mk_read_file(o->kernel, &p->kernel) < 0)
        return MK_EXIT_FAIL;
    if ((why = mk_kernel_check(p->kernel.data, p->kernel.size))) {
        mk_error(o->kernel, "kernel: %s", why);
        return MK_EXIT_FAIL;
    }
    if (o->stage1) {
        if (mk_read_file(o->stage1, &p->stage1) < 0)
            return MK_EXIT_FAIL;
        if ((why = mk_stage1_check(p->stage1.data, p->stage1.size))) {
            mk_error(o->stage1, "stage1: %s", why);
            return MK_EXIT_FAIL;
        }
        if (mk_read_file(o->stage2, &p->stage2) < 0)
            return MK_EXIT_FAIL;
        uint64_t room = (uint64_t)(MK_ESP_FIRST_LBA - MK_BIOS_FIRST_LBA) * SECTOR;
        if ((why = mk_stage2_check(p->stage2.data, p->stage2.size, room))) {
            mk_error(o->stage2, "stage2: %s", why);
            return MK_EXIT_FAIL;
        }
        p->stage2_sectors = (uint32_t)mk_div_up(p->stage2.size, SECTOR);
        p->layout.has_bios_part = 1;
    }
    if (o->efi) {
        if (mk_read_file(o->efi, &p->efi) < 0)
            return MK_EXIT_FAIL;
        if ((why = efi_check(p->efi.data, p->efi.size))) {
            mk_error(o->efi, "EFI loader: %s", why);
            return MK_EXIT_FAIL;
        }
    }
    p->files = mk_zalloc((o->nfiles + 1) * sizeof *p->files);
    for (size_t i = 0; i < o->nfiles; i++)
        if (mk_read_file(o->files[i].src, &p->files[i]) < 0)
            return MK_EXIT_FAIL;
    return MK_EXIT_OK;
}

static int make_bootcfg(struct mk_plan *p, const struct mk_opts *o)
{
    uint8_t *digest = p->kernel_sha256;
    char hex[2 * SHA256_LEN + 1];
    sha256(p->kernel.data, (size_t)p->kernel.size, digest);
    sha256_hex(digest, hex);
    size_t cap = 512 + (o->cmdline ? strlen(o->cmdline) : 0);
    p->bootcfg = mk_zalloc(cap);
    int n = snprintf(p->bootcfg, cap,
                     "# hyboot boot configuration, written by mkimage\n"
                     "kernel=%s\n"
                     "cmdline=%s\n"
                     "%s%s%s"
                     "kernel_sha256=%s\n",
                     MK_ESP_KERNEL, o->cmdline ? o->cmdline : "",
                     o->resolution ? "resolution=" : "", o->resolution ? o->resolution : "",
                     o->resolution ? "\n" : "", hex);
    p->bootcfg_len = (size_t)n;
    /* Parse it back with the loaders' parser: what we write they read. */
    struct boot_cfg cfg;
    const char *why = NULL;
    bootcfg_defaults(&cfg);
    int bad = bootcfg_parse(&cfg, p->bootcfg, p->bootcfg_len, &why);
    if (bad || !cfg.has_sha256 || memcmp(cfg.kernel_sha256, digest, SHA256_LEN) != 0) {
        mk_error(BOOTCFG_PATH, "line %d would not parse: %s", bad, why ? why : "hash lost");
        return MK_EXIT_FAIL;
    }
    return MK_EXIT_OK;
}

/* A fast 64-bit digest of bulk input for the default seed: SHA-256 of
 * the loaders and extra files would double mkimage's run time, and the
 * seed needs only determinism and sensitivity to every byte, not
 * collision resistance against an adversary. Four multiply-xorshift lanes
 * over 8-byte words, the tail and the length folded in at the end. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    return x ^ (x >> 33);
}

static uint64_t bulk_digest(const uint8_t *p, uint64_t n)
{
    uint64_t lane[4] = { 0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
                         0x082efa98ec4e6c89ULL };
    uint64_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * k, 8);
            lane[k] = (lane[k] ^ w) * 0x9e3779b97f4a7c15ULL;
            lane[k] ^= lane[k] >> 29;
        }
    uint64_t h = n;
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    for (int k = 0; k < 4; k++)
        h = mix64(h ^ mix64(lane[k] + (uint64_t)k));
    return h;
}

static void hash_field(struct sha256_ctx *c, const char *tag, const void *data, uint64_t len)
{
    /* Length-prefixed, so fields cannot run into each other. */
    uint64_t l = len;
    sha256_update(c, tag, strlen(tag) + 1);
    sha256_update(c, &l, sizeof l);
    if (len)
        sha256_update(c, data, (size_t)len);
}

static void bulk_field(struct sha256_ctx *c, const char *tag, const struct mk_blob *b)
{
    uint64_t d = b->data ? bulk_digest(b->data, b->size) : 0;
    hash_field(c, tag, &d, b->data ? sizeof d : 0);
}

static void make_seed(struct mk_plan *p, const struct mk_opts *o)
{
    struct sha256_ctx c;
    sha256_init(&c);
    if (o->seed) {
        p->seed_given = 1;
        hash_field(&c, "seed", o->seed, strlen(o->seed));
    } else {
        /* Default: a hash of everything that goes into the image. */
        /* The kernel is the biggest input and already hashed for boot.cfg. */
        hash_field(&c, "kernel-sha256", p->kernel_sha256, SHA256_LEN);
        bulk_field(&c, "efi", &p->efi);
        bulk_field(&c, "stage1", &p->stage1);
        bulk_field(&c, "stage2", &p->stage2);
        hash_field(&c, "bootcfg", p->bootcfg, p->bootcfg_len);
        for (size_t i = 0; i < o->nfiles; i++) {
            hash_field(&c, "dest", o->files[i].dest, strlen(o->files[i].dest));
            bulk_field(&c, "file", &p->files[i]);
        }
        hash_field(&c, "size", &p->size, sizeof p->size);
        const char *label = o->label ? o->label : MK_DEFAULT_LABEL;
        hash_field(&c, "label", label, strlen(label));
    }
    sha256_final(&c, p->seed);
}

static int fill_fat(struct mk_plan *p, const struct mk_opts *o)
{
    const char *why;
    struct mk_fat *fs = &p->fat;
    fs->volume_id = mk_u32_derive(p->seed, "fat-volume-id");
    if (p->efi.data && (why = mk_fat_add(fs, MK_ESP_EFI, p->efi.data, p->efi.size))) {
        mk_error(o->efi, "%s: %s", MK_ESP_EFI, why);
        return MK_EXIT_FAIL;
    }
    if ((why = mk_fat_add(fs, MK_ESP_KERNEL, p->kernel.data, p->kernel.size))) {
        mk_error(o->kernel, "%s: %s", MK_ESP_KERNEL, why);
        return MK_EXIT_FAIL;
    }
    if ((why = mk_fat_add(fs, BOOTCFG_PATH, (const uint8_t *)p->bootcfg, p->bootcfg_len))) {
        mk_error(BOOTCFG_PATH, "%s", why);
        return MK_EXIT_FAIL;
    }
    for (size_t i = 0; i < o->nfiles; i++) {
        if ((why = mk_fat_add(fs, o->files[i].dest, p->files[i].data, p->files[i].size))) {
            mk_error(o->files[i].src, "%s (--file %s=%s, %s)", why, o->files[i].src, o->files[i].dest,
                     o->files[i].where);
            return MK_EXIT_FAIL;
        }
    }
    return MK_EXIT_OK;
}

/* ---- layout ------------------------------------------------------------- */

/* Would an image of `total` sectors hold everything? */
static int fits(struct mk_plan *p, uint64_t total, char *why, size_t len)
{
    struct mk_layout l = p->layout;
    if (mk_layout_compute(&l, total) < 0) {
        snprintf(why, len, "too small for the partition tables and a 1 MiB-aligned ESP");
        return MK_FAT_ENOSPC;
    }
    return mk_fat_plan(&p->fat, l.esp_last - l.esp_first + 1, p->fat_type, why, len);
}

uint64_t mk_plan_min_size(struct mk_plan *p)
{
    /* Every file needs at least its bytes, so start there and go up a
     * MiB at a time: FAT overhead is a few percent. */
    uint64_t payload = p->kernel.size + p->efi.size + p->bootcfg_len;
    for (size_t i = 0; i < p->o->nfiles; i++)
        payload += p->files[i].size;
    uint64_t mib = 1 + payload / (1 << 20);
    char why[256];
    struct mk_fat_geom saved = p->fat.g;
    uint64_t found = 0;
    for (uint64_t m = mib; m <= mib + 65536 && m <= (16ULL << 20); m++) {
        if (fits(p, m * 2048, why, sizeof why) == MK_FAT_OK) {
            found = m << 20;
            break;
        }
    }
    p->fat.g = saved;
    return found;
}

static void warn_esp(struct mk_plan *p)
{
    uint64_t esp_bytes = (p->layout.esp_last - p->layout.esp_first + 1) * SECTOR;
    char s[32];
    mk_format_size(esp_bytes, s, sizeof s);
    /* QUIRKS.md: some firmware guesses the FAT type from the volume size. */
    if (esp_bytes < (8ULL << 20))
        mk_warn(p->o->output ? p->o->output : "image",
                "the ESP is %s; some UEFI firmware wants at least 8 MiB (use --size 10M or more)", s);
    else if (p->fat.g.type == 32 && esp_bytes < (33ULL << 20))
        mk_warn(p->o->output ? p->o->output : "image",
                "the FAT32 ESP is %s; some UEFI firmware reads FAT32 under 33 MiB as FAT16 "
                "(use --size 35M or more)", s);
}

int mk_plan_make(struct mk_plan *p, const struct mk_opts *o)
{
    memset(p, 0, sizeof *p);
    p->o = o;
    int r;
    if ((r = parse_settings(p, o)) != MK_EXIT_OK)
        return r;
    if ((r = read_inputs(p, o)) != MK_EXIT_OK)
        return r;
    if ((r = make_bootcfg(p, o)) != MK_EXIT_OK)
        return r;
    make_seed(p, o);
    if ((r = fill_fat(p, o)) != MK_EXIT_OK)
        return r;

    struct mk_layout *l = &p->layout;
    l->disk_signature = mk_u32_derive(p->seed, "mbr-disk-signature");
    mk_guid_derive(p->seed, "gpt-disk", l->disk_guid);
    mk_guid_derive(p->seed, "gpt-bios-boot-partition", l->bios_guid);
    mk_guid_derive(p->seed, "gpt-esp-partition", l->esp_guid);

    char why[256], given[32];
    const char *size_text = o->size ? o->size : "64M";
    int fr = fits(p, p->size / SECTOR, why, sizeof why);
    if (fr == MK_FAT_ETYPE) {
        /* When the type needs more clusters, a bigger image allows it. */
        uint64_t min = mk_plan_min_size(p);
        if (min > p->size)
            mk_error(opt_input("fat", o->fat), "%s; an image of at least %lluM allows it", why,
                     (unsigned long long)(min >> 20));
        else
            mk_error(opt_input("fat", o->fat), "%s", why);
        return MK_EXIT_FAIL;
    }
    if (fr == MK_FAT_ENOSPC) {
        uint64_t min = mk_plan_min_size(p);
        mk_format_size(p->size, given, sizeof given);
        if (min) {
            mk_error(opt_input("size", size_text), "an image of %s is too small (%s); the smallest that fits is %lluM",
                     given, why, (unsigned long long)(min >> 20));
        } else if (p->fat_type) {
            mk_error(opt_input("size", size_text), "an image of %s is too small (%s), and FAT%d "
                     "cannot hold these files at any size", given, why, p->fat_type);
        } else {
            mk_error(opt_input("size", size_text), "an image of %s is too small (%s)", given, why);
        }
        return MK_EXIT_FAIL;
    }
    mk_layout_compute(l, p->size / SECTOR);
    warn_esp(p);
    return MK_EXIT_OK;
}

/* ---- output --------------------------------------------------------------- */

void mk_plan_render(struct mk_plan *p, struct mk_image *img)
{
    const struct mk_layout *l = &p->layout;
    img->size = l->total_sectors * SECTOR;

    /* LBA 0..33: MBR, primary GPT header and entries. */
    uint8_t *head = mk_image_chunk(img, 0, (uint64_t)(2 + GPT_ENTRIES_BYTES / SECTOR) * SECTOR);
    mk_mbr_build(head, l, p->stage1.data, p->stage1.size, p->stage2_sectors);
    if (l->mbr != MK_MBR_ONLY) {
        uint8_t *entries = head + 2 * SECTOR;
        struct gpt_header h;
        mk_gpt_entries(l, entries);
        uint32_t crc = crc32_update(0, entries, GPT_ENTRIES_BYTES);
        mk_gpt_header(l, crc, 0, &h);
        memcpy(head + SECTOR, &h, sizeof h);
        /* Backup: entries then header in the last 33 sectors. */
        uint8_t *tail = mk_image_chunk(img, (l->total_sectors - MK_GPT_TAIL) * SECTOR, MK_GPT_TAIL * SECTOR);
        memcpy(tail, entries, GPT_ENTRIES_BYTES);
        mk_gpt_header(l, crc, 1, &h);
        memcpy(tail + GPT_ENTRIES_BYTES, &h, sizeof h);
    }
    if (p->stage2.data) {
        uint8_t *s2 = mk_image_chunk(img, l->bios_first * SECTOR, (uint64_t)p->stage2_sectors * SECTOR);
        memcpy(s2, p->stage2.data, (size_t)p->stage2.size);
    }
    mk_fat_emit(&p->fat, l->esp_first, img);
}

void mk_plan_free(struct mk_plan *p)
{
    mk_blob_free(&p->kernel);
    mk_blob_free(&p->efi);
    mk_blob_free(&p->stage1);
    mk_blob_free(&p->stage2);
    if (p->files)
        for (size_t i = 0; i < p->o->nfiles; i++)
            mk_blob_free(&p->files[i]);
    free(p->files);
    free(p->bootcfg);
    mk_fat_free(&p->fat);
}

int mk_plan_output_is_input(const struct mk_plan *p, const char *output)
{
    struct stat out, in;
    if (stat(output, &out) != 0 || !S_ISREG(out.st_mode))
        return 0;
    const struct mk_blob *b[] = { &p->kernel, &p->efi, &p->stage1, &p->stage2 };
    for (size_t i = 0; i < sizeof b / sizeof b[0] + p->o->nfiles; i++) {
        const char *path = i < 4 ? b[i]->path : p->files[i - 4].path;
        if (path && stat(path, &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            mk_error(output, "is also an input (%s): refusing to overwrite it", path);
            return 1;
        }
    }
    return 0;
}

/* The plan of an image: runs the steps (settings.c, inputs.c,
 * bootcfg_write.c, seed.c), puts the files on the ESP, and finds a layout
 * that holds them. */
#include "mk_plan.h"

#include <stdio.h>
#include <stdlib.h>

#include "pe.h"
#include "secure_boot.h"
#include <string.h>
#include <sys/stat.h>

static int fill_fat(struct mk_plan *p, const struct mk_opts *o)
{
    const char *why;
    struct mk_fat *fs = &p->fat;
    if (p->efi.path && (why = mk_fat_add(fs, p->efi_dest, p->efi.data, p->efi.fd, p->efi.size))) {
        mk_error(o->efi, "%s: %s", p->efi_dest, why);
        return MK_EXIT_FAIL;
    }
    if (p->efi32.path && (why = mk_fat_add(fs, p->efi32_dest, p->efi32.data, p->efi32.fd, p->efi32.size))) {
        mk_error(o->efi32, "%s: %s", p->efi32_dest, why);
        return MK_EXIT_FAIL;
    }
    if ((why = mk_fat_add(fs, MK_ESP_KERNEL, p->kernel.data, p->kernel.fd, p->kernel.size))) {
        mk_error(o->kernel, "%s: %s", MK_ESP_KERNEL, why);
        return MK_EXIT_FAIL;
    }
    if ((why = mk_fat_add(fs, BOOTCFG_PATH, (const uint8_t *)p->bootcfg, -1, p->bootcfg_len))) {
        mk_error(BOOTCFG_PATH, "%s", why);
        return MK_EXIT_FAIL;
    }
    if (p->shim.path && (why = mk_fat_add(fs, pe_removable_path(PE_MACHINE_X64), p->shim.data, p->shim.fd,
                                          p->shim.size))) {
        mk_error(o->shim, "%s: %s", pe_removable_path(PE_MACHINE_X64), why);
        return MK_EXIT_FAIL;
    }
    if (p->mok_manager.path &&
        (why = mk_fat_add(fs, PE_SHIM_MM_X64, p->mok_manager.data, p->mok_manager.fd, p->mok_manager.size))) {
        mk_error(o->mok_manager, "%s: %s", PE_SHIM_MM_X64, why);
        return MK_EXIT_FAIL;
    }
    for (size_t i = 0; i < 3 && o->enroll_keys; i++) {
        char dest[64];
        snprintf(dest, sizeof dest, "%s/%s", SB_KEYS_DIR, mk_sb_key_names[i]);
        const struct mk_blob *b = &p->sb_keys[i];
        if ((why = mk_fat_add(fs, dest, b->data, b->fd, b->size))) {
            mk_error(b->path, "%s: %s", dest, why);
            return MK_EXIT_FAIL;
        }
    }
    for (size_t i = 0; i < o->nmodules; i++) {
        const struct mk_module *m = &p->modules[i];
        if ((why = mk_fat_add(fs, m->dest, m->blob.data, m->blob.fd, m->blob.size))) {
            mk_error(m->spec->src, "%s: %s (--module, %s)", m->dest, why, m->spec->where);
            return MK_EXIT_FAIL;
        }
    }
    for (size_t i = 0; i < o->nfiles; i++) {
        const struct mk_blob *b = &p->files[i];
        if ((why = mk_fat_add(fs, o->files[i].dest, b->data, b->fd, b->size))) {
            mk_error(o->files[i].src, "%s (--file %s=%s, %s)", why, o->files[i].src, o->files[i].dest,
                     o->files[i].where);
            return MK_EXIT_FAIL;
        }
    }
    return MK_EXIT_OK;
}

/* Would an image of `total` sectors hold everything? */
static int fits(struct mk_plan *p, uint64_t total, char *why, size_t len)
{
    struct mk_layout l = p->layout;
    if (mk_layout_compute(&l, total, p->layout.sector_size) < 0) {
        snprintf(why, len, "too small for the partition tables and a 1 MiB-aligned ESP");
        return MK_FAT_ENOSPC;
    }
    return mk_fat_plan(&p->fat, l.esp_last - l.esp_first + 1, p->fat_type, why, len);
}

uint64_t mk_plan_min_size(struct mk_plan *p)
{
    /* Every file needs at least its bytes, so start there and go up a
     * MiB at a time: FAT overhead is a few percent. */
    uint64_t payload = p->kernel.size + p->efi.size + p->efi32.size + p->bootcfg_len + p->shim.size +
                       p->mok_manager.size;
    for (int i = 0; i < 3; i++)
        payload += p->sb_keys[i].size;
    for (size_t i = 0; i < p->o->nfiles; i++)
        payload += p->files[i].size;
    for (size_t i = 0; i < p->o->nmodules; i++)
        payload += p->modules[i].blob.size;
    uint64_t mib = 1 + payload / (1 << 20);
    char why[256];
    struct mk_fat_geom saved = p->fat.g;
    uint64_t found = 0;
    for (uint64_t m = mib; m <= mib + 65536 && m <= (16ULL << 20); m++) {
        if (fits(p, (m << 20) / p->layout.sector_size, why, sizeof why) == MK_FAT_OK) {
            found = m << 20;
            break;
        }
    }
    p->fat.g = saved;
    return found;
}

static void warn_esp(struct mk_plan *p)
{
    uint64_t esp_bytes = (p->layout.esp_last - p->layout.esp_first + 1) * p->layout.sector_size;
    const char *quirk = mk_esp_size_quirk(esp_bytes, p->fat.g.type);
    if (quirk)
        mk_warn(p->o->output ? p->o->output : "image", "%s (use --size %s or more)", quirk,
                esp_bytes < (8ULL << 20) ? "10M" : "35M");
}

static int size_error(struct mk_plan *p, const struct mk_opts *o, int fr, const char *why)
{
    char given[32];
    if (fr == MK_FAT_ETYPE) {
        /* When the type needs more clusters, a bigger image allows it. */
        uint64_t min = mk_plan_min_size(p);
        if (min > p->size)
            mk_opt_error(o, "fat", "%s; an image of at least %lluM allows it", why, (unsigned long long)(min >> 20));
        else
            mk_opt_error(o, "fat", "%s", why);
        return MK_EXIT_FAIL;
    }
    uint64_t min = mk_plan_min_size(p);
    char hint[64] = "";
    mk_format_size(p->size, given, sizeof given);
    if (min)
        snprintf(hint, sizeof hint, "; the smallest that fits is %lluM", (unsigned long long)(min >> 20));
    else if (p->fat_type)
        snprintf(hint, sizeof hint, ", and FAT%d cannot hold these files at any size", p->fat_type);
    if (o->size)
        mk_opt_error(o, "size", "an image of %s is too small (%s)%s", given, why, hint);
    else
        mk_error("--size 64M (the default)", "an image of %s is too small (%s)%s", given, why, hint);
    return MK_EXIT_FAIL;
}

int mk_plan_make(struct mk_plan *p, const struct mk_opts *o)
{
    memset(p, 0, sizeof *p);
    p->o = o;
    int r;
    if ((r = mk_settings_parse(p, o)) || (r = mk_inputs_read(p, o)) || (r = mk_bootcfg_make(p, o)) ||
        (r = mk_secure_boot_step(p, o)) || (r = fill_fat(p, o)))
        return r;

    char why[256];
    const uint32_t ss = p->layout.sector_size;
    int fr = fits(p, p->size / ss, why, sizeof why);
    if (fr != MK_FAT_OK)
        return size_error(p, o, fr, why);
    mk_layout_compute(&p->layout, p->size / ss, ss);
    warn_esp(p);
    return MK_EXIT_OK;
}

/* The identifiers come last because the default seed hashes every input,
 * and the modules' hashes arrive from the hashing thread only now. They
 * sit in metadata alone (MBR, GPT, FAT boot sector): the layout and every
 * input-file chunk stand, so the image already rendered is rendered again
 * and its in-memory chunks take the new bytes. */
int mk_plan_finish(struct mk_plan *p, struct mk_image *img)
{
    int r = mk_bootcfg_finish(p);
    if (r)
        return r;
    mk_seed_make(p, p->o);
    struct mk_layout *l = &p->layout;
    l->disk_signature = mk_u32_derive(p->seed, "mbr-disk-signature");
    mk_guid_derive(p->seed, "gpt-disk", l->disk_guid);
    mk_guid_derive(p->seed, "gpt-bios-boot-partition", l->bios_guid);
    mk_guid_derive(p->seed, "gpt-esp-partition", l->esp_guid);
    p->fat.volume_id = mk_u32_derive(p->seed, "fat-volume-id");
    if (!img)
        return MK_EXIT_OK;
    struct mk_image again = { 0 };
    mk_plan_render(p, &again);
    if (again.n != img->n) {
        mk_image_free(&again);
        mk_error(NULL, "internal error: the image rendered differently twice");
        return MK_EXIT_FAIL;
    }
    for (size_t i = 0; i < img->n; i++)
        if (img->chunk[i].owned)
            memcpy(img->chunk[i].data, again.chunk[i].data, (size_t)img->chunk[i].len);
    mk_image_free(&again);
    return MK_EXIT_OK;
}

/* The plan's one-file inputs (the --file and --module arrays aside), in
 * one list for everything that must visit each of them: freeing, and the
 * check that the output is none of them. */
#define SINGLE_INPUTS 10
static void single_inputs(const struct mk_plan *p, struct mk_blob *out[SINGLE_INPUTS])
{
    struct mk_plan *q = (struct mk_plan *)p;
    struct mk_blob *b[SINGLE_INPUTS] = { &q->kernel, &q->efi, &q->efi32, &q->stage1, &q->stage2, &q->shim,
                                         &q->mok_manager, &q->sb_keys[0], &q->sb_keys[1], &q->sb_keys[2] };
    memcpy(out, b, sizeof b);
}

void mk_plan_free(struct mk_plan *p)
{
    mk_modules_hashed(p);           /* the thread reads the mappings */
    struct mk_blob *b[SINGLE_INPUTS];
    single_inputs(p, b);
    for (int i = 0; i < SINGLE_INPUTS; i++)
        mk_blob_free(b[i]);
    for (int i = 0; i < 3; i++)
        free(p->sb_key_paths[i]);
    if (p->files)
        for (size_t i = 0; i < p->o->nfiles; i++)
            mk_blob_free(&p->files[i]);
    if (p->modules)
        for (size_t i = 0; i < p->o->nmodules; i++)
            mk_blob_free(&p->modules[i].blob);
    free(p->files);
    free(p->modules);
    free(p->digests);
    free(p->bootcfg);
    mk_fat_free(&p->fat);
}

static int same_file(const char *path, const struct stat *out)
{
    struct stat in;
    return path && stat(path, &in) == 0 && in.st_dev == out->st_dev && in.st_ino == out->st_ino;
}

int mk_plan_output_is_input(const struct mk_plan *p, const char *output)
{
    struct stat out;
    if (stat(output, &out) != 0 || !S_ISREG(out.st_mode))
        return 0;
    const char *hit = NULL;
    struct mk_blob *b[SINGLE_INPUTS];
    single_inputs(p, b);
    for (size_t i = 0; !hit && i < SINGLE_INPUTS; i++)
        if (same_file(b[i]->path, &out))
            hit = b[i]->path;
    for (size_t i = 0; !hit && i < p->o->nfiles; i++)
        if (same_file(p->files[i].path, &out))
            hit = p->files[i].path;
    for (size_t i = 0; !hit && i < p->o->nmodules; i++)
        if (same_file(p->modules[i].blob.path, &out))
            hit = p->modules[i].blob.path;
    if (!hit && same_file(p->o->recipe, &out))
        hit = p->o->recipe;
    if (hit)
        mk_error(output, "is also an input (%s): refusing to overwrite it", hit);
    return hit != NULL;
}

/* Every input file, opened and checked with the rules the loaders and
 * --inspect apply (common/elf.c, common/pe.c, common/stage_check.c), so
 * mkimage never writes an image that one of them would call broken. */
#include "mk_plan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "pe.h"
#include "stage_check.h"

const char *mk_kernel_check(const uint8_t *data, uint64_t size)
{
    static char why[160];
    static struct elf_plan plan;
    const char *r = elf_plan(data, size, &plan);
    if (r) {
        snprintf(why, sizeof why, "%s%s", r,
                 strcmp(r, "not a 64-bit ELF") == 0 ? " (a 32-bit ELF cannot be the kernel)" : "");
        return why;
    }
    return NULL;
}

const char *mk_stage1_check(const uint8_t *data, uint64_t size)
{
    static char why[160];
    return stage1_check(data, size, NULL, why, sizeof why);
}

const char *mk_stage2_check(const uint8_t *data, uint64_t size, uint64_t room)
{
    static char why[200];
    if (size > room) {
        snprintf(why, sizeof why, "%llu bytes, more than the %llu bytes of the BIOS boot partition",
                 (unsigned long long)size, (unsigned long long)room);
        return why;
    }
    return stage2_check(data, size, NULL, why, sizeof why);
}

/* Opens `path` into b and runs check on it; prints "<path>: <what>: why". */
static int input(const char *path, uint64_t max, struct mk_blob *b, const char *what,
                 const char *(*check)(const uint8_t *, uint64_t))
{
    if (mk_blob_open(path, max, b) < 0)
        return MK_EXIT_FAIL;
    const char *why = check ? check(b->data, b->size) : NULL;
    if (why) {
        mk_error(path, "%s: %s", what, why);
        return MK_EXIT_FAIL;
    }
    return MK_EXIT_OK;
}

static const char *efi_check(const uint8_t *data, uint64_t size)
{
    return pe_check(data, (size_t)size, PE_MACHINE_X64, NULL);
}

static const char *efi32_check(const uint8_t *data, uint64_t size)
{
    return pe_check(data, (size_t)size, PE_MACHINE_I386, NULL);
}

/* The BIOS boot partition's room, and on a 4Kn image what stage1 can
 * load: it reads stage2 in calls of at most 64 sectors, moving its buffer
 * 512 bytes per sector, so with 4096-byte sectors only a stage2 that one
 * call reads (at most 64 sectors) lands where it belongs. */
static uint32_t room_sector_size;
static const char *stage2_room_check(const uint8_t *data, uint64_t size)
{
    static char why[200];
    uint32_t ss = room_sector_size;
    if (ss > 512 && size > (uint64_t)MK_STAGE1_CALL_SECTORS * ss) {
        snprintf(why, sizeof why, "%llu bytes: on a %u-byte-sector image stage1 loads at most %u sectors "
                 "(%u KiB) in its one read", (unsigned long long)size, ss, MK_STAGE1_CALL_SECTORS,
                 MK_STAGE1_CALL_SECTORS * ss / 1024);
        return why;
    }
    return mk_stage2_check(data, size, (mk_esp_first_lba(ss) - mk_bios_first_lba(ss)) * ss);
}

/* Modules land in /boot under their own file name; the name must be one
 * FAT and boot.cfg can hold, and not one another file takes. */
static int module_dest(struct mk_plan *p, size_t i)
{
    struct mk_module *m = &p->modules[i];
    const char *src = m->spec->src, *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    const char *why = fat_long_name_check(base);
    if (why) {
        mk_error(m->spec->where, "module %s: its file name cannot be a FAT name: %s", src, why);
        return MK_EXIT_FAIL;
    }
    if (strlen(MK_ESP_MODULES) + strlen(base) >= sizeof m->dest) {
        mk_error(m->spec->where, "module %s: /boot/%s is longer than the %d bytes boot.cfg takes", src, base,
                 BOOTCFG_PATH_MAX - 1);
        return MK_EXIT_FAIL;
    }
    snprintf(m->dest, sizeof m->dest, "%s%s", MK_ESP_MODULES, base);
    const char *taken = mk_esp_path_equal(m->dest, MK_ESP_KERNEL) ? "the kernel"
                      : mk_esp_path_equal(m->dest, BOOTCFG_PATH) ? "boot.cfg" : NULL;
    for (size_t j = 0; !taken && j < i; j++)
        if (mk_esp_path_equal(m->dest, p->modules[j].dest))
            taken = p->modules[j].spec->src;
    char *key = mk_esp_path_key(m->dest);
    size_t file = (size_t)(uintptr_t)mk_strmap_get(&p->o->dests, key);
    free(key);
    if (!taken && file)
        taken = p->o->files[file - 1].src;
    if (taken) {
        mk_error(m->spec->where, "module %s: %s on the ESP is already %s (module names are case-insensitive)",
                 src, m->dest, taken);
        return MK_EXIT_FAIL;
    }
    return MK_EXIT_OK;
}

/* The modules' SHA-256 and the seed's digests of the other inputs, on a
 * second core while the main thread lays out the image and the kernel
 * copies the files into it: reading every byte of a big input costs about
 * what copying it does, so the two together take as long as one. */
static void *hash_inputs(void *arg)
{
    struct mk_plan *p = arg;
    for (size_t i = 0; i < p->o->nmodules; i++)
        mk_sha256(p->modules[i].blob.data, p->modules[i].blob.size, p->modules[i].sha256);
    if (p->o->seed)
        return NULL;                /* the seed is given: no digests needed */
    const struct mk_blob *fixed[MK_DIGEST_FILES] = {
        [MK_DIGEST_EFI] = &p->efi, [MK_DIGEST_STAGE1] = &p->stage1,
        [MK_DIGEST_STAGE2] = &p->stage2, [MK_DIGEST_EFI32] = &p->efi32,
    };
    for (int i = 0; i < MK_DIGEST_FILES; i++)
        p->digests[i] = mk_bulk_digest(fixed[i]);
    for (size_t i = 0; i < p->o->nfiles; i++)
        p->digests[MK_DIGEST_FILES + i] = mk_bulk_digest(&p->files[i]);
    return NULL;
}

int mk_inputs_read(struct mk_plan *p, const struct mk_opts *o)
{
    if (input(o->kernel, MK_FILE_MAX, &p->kernel, "kernel", mk_kernel_check))
        return MK_EXIT_FAIL;
    mk_sha256(p->kernel.data, p->kernel.size, p->kernel_sha256);
    room_sector_size = p->layout.sector_size;
    if (o->stage1) {
        if (input(o->stage1, MK_FILE_MAX, &p->stage1, "stage1", mk_stage1_check) ||
            input(o->stage2, MK_FILE_MAX, &p->stage2, "stage2", stage2_room_check))
            return MK_EXIT_FAIL;
        p->stage2_sectors = (uint32_t)mk_div_up(p->stage2.size, p->layout.sector_size);
        p->layout.has_bios_part = 1;
    }
    if (o->efi && input(o->efi, MK_FILE_MAX, &p->efi, "EFI loader", efi_check))
        return MK_EXIT_FAIL;
    if (o->efi32 && input(o->efi32, MK_FILE_MAX, &p->efi32, "32-bit EFI loader", efi32_check))
        return MK_EXIT_FAIL;
    p->files = mk_zalloc((o->nfiles + 1) * sizeof *p->files);
    for (size_t i = 0; i < o->nfiles; i++)
        if (mk_blob_open(o->files[i].src, MK_FILE_MAX, &p->files[i]) < 0)
            return MK_EXIT_FAIL;
    p->modules = mk_zalloc((o->nmodules + 1) * sizeof *p->modules);
    for (size_t i = 0; i < o->nmodules; i++) {
        struct mk_module *m = &p->modules[i];
        m->spec = &o->modules[i];
        if (module_dest(p, i) || mk_blob_open(m->spec->src, MK_FILE_MAX, &m->blob) < 0)
            return MK_EXIT_FAIL;
    }
    p->digests = mk_zalloc((MK_DIGEST_FILES + o->nfiles) * sizeof *p->digests);
    p->hasher_running = pthread_create(&p->hasher, NULL, hash_inputs, p) == 0;
    if (!p->hasher_running)
        hash_inputs(p);             /* no thread: do it here */
    return MK_EXIT_OK;
}

void mk_modules_hashed(struct mk_plan *p)
{
    if (p->hasher_running)
        pthread_join(p->hasher, NULL);
    p->hasher_running = 0;
}

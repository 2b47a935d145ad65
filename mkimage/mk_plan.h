/* From settings to an image: read and check every input, decide the
 * layout, then render it into an mk_image (or print it). mk_plan_make
 * runs the steps below in order, each in its own file. */
#ifndef HYBOOT_MK_PLAN_H
#define HYBOOT_MK_PLAN_H

#include <pthread.h>
#include <stdio.h>
#include "bootcfg.h"
#include "mk.h"
#include "mk_disk.h"
#include "mk_fat.h"
#include "mk_image.h"
#include "mk_opts.h"
#include "pe.h"

#define MK_DEFAULT_SIZE  (64ULL << 20)
#define MK_DEFAULT_LABEL "HYBOOT"
#define MK_ESP_KERNEL    BOOTCFG_DEFAULT_KERNEL
#define MK_ESP_MODULES   "/boot/"
/* The largest image: a file offset (off_t) is signed 64-bit. */
#define MK_MAX_SIZE      (0x7fffffffffffffffULL & ~(uint64_t)(MK_SECTOR_MAX - 1))
/* p->digests: the fixed inputs first, then one per --file. */
enum { MK_DIGEST_EFI, MK_DIGEST_STAGE1, MK_DIGEST_STAGE2, MK_DIGEST_EFI32, MK_DIGEST_FILES };

struct mk_module {
    const struct mk_module_spec *spec;
    struct mk_blob blob;
    char    dest[BOOTCFG_PATH_MAX];      /* /boot/<basename> */
    uint8_t sha256[32];                  /* valid after mk_modules_hashed */
    size_t  hex_at;                      /* where boot.cfg's text holds it */
};

struct mk_plan {
    const struct mk_opts *o;
    uint64_t size;                       /* bytes */
    int      fat_type;                   /* 0 automatic */
    uint16_t efi_machine;                /* PE_MACHINE_X64 */
    const char *efi_dest;                /* where firmware looks for it */
    const char *efi32_dest;              /* the same for 32-bit UEFI (PE_MACHINE_I386) */
    int64_t  epoch;
    int      epoch_from_env;
    uint8_t  seed[32];
    int      seed_given;
    struct mk_blob kernel, efi, stage1, stage2, efi32;
    struct mk_blob sb_keys[3];           /* --enroll-keys: PK, KEK, db .auth */
    char    *sb_key_paths[3];
    struct mk_blob shim, mok_manager;    /* --shim, --mok-manager */
    struct mk_blob *files;               /* o->nfiles */
    struct mk_module *modules;           /* o->nmodules */
    uint8_t  kernel_sha256[32];
    char    *bootcfg;
    size_t   bootcfg_len;
    int      bootcfg_final;              /* the modules' hashes are in it */
    pthread_t hasher;                    /* hashes the inputs meanwhile */
    int      hasher_running;
    /* The seed's digests of the bulk inputs (seed.c): efi, stage1,
     * stage2, efi32 (MK_DIGEST_*), then the --files; made by the hashing
     * thread. */
    uint64_t *digests;
    uint32_t stage2_sectors;
    struct mk_layout layout;
    struct mk_fat fat;
};

/* Reads and checks everything; returns MK_EXIT_OK, or MK_EXIT_FAIL /
 * MK_EXIT_USAGE after printing the errors. */
int mk_plan_make(struct mk_plan *p, const struct mk_opts *o);
/* After mk_plan_make (and mk_plan_render into img, when writing): waits
 * for the modules' hashes, completes boot.cfg, derives the seed and the
 * identifiers, and brings img's metadata up to date. */
int mk_plan_finish(struct mk_plan *p, struct mk_image *img);
/* What --print-layout shows (print.c). */
void mk_plan_print(struct mk_plan *p, FILE *out);
/* Fills img with every non-zero region of the image (render.c). */
void mk_plan_render(struct mk_plan *p, struct mk_image *img);
void mk_plan_free(struct mk_plan *p);
/* Is `output` one of the input files or the recipe (same inode)? Prints
 * the error. */
int mk_plan_output_is_input(const struct mk_plan *p, const char *output);

/* Smallest image size (bytes, whole MiB) that holds the planned contents
 * with the planned FAT type, or 0 if none up to 16 TiB. */
uint64_t mk_plan_min_size(struct mk_plan *p);

/* ---- the steps of mk_plan_make ------------------------------------------ */
/* settings.c: option values -> p (size, FAT type, layout mode, label,
 * time, --resolution, --cmdline); usage errors. */
int mk_settings_parse(struct mk_plan *p, const struct mk_opts *o);
/* inputs.c: opens every input and refuses what a loader or --inspect
 * would call broken (common/elf, common/pe, common/stage_check); hashes
 * the kernel and the modules. */
int mk_inputs_read(struct mk_plan *p, const struct mk_opts *o);
/* bootcfg_write.c: boot.cfg's text, parsed back with the loaders' parser.
 * The modules' hashes are left as zeros (same length, so the layout is
 * final) until mk_bootcfg_finish, which waits for the hashing thread and
 * writes them in: a big module is hashed while the image is written. */
int mk_bootcfg_make(struct mk_plan *p, const struct mk_opts *o);
int mk_bootcfg_finish(struct mk_plan *p);
/* secure_boot.c: with --sign-key/--sign-cert, completes boot.cfg (waiting
 * for the modules' hashes), enrols its hash into the EFI loaders and signs
 * them (p->efi and p->efi32 then hold the signed bytes); reads the
 * --enroll-keys files. Nothing without those options. */
int mk_secure_boot_step(struct mk_plan *p, const struct mk_opts *o);
extern const char *const mk_sb_key_names[3];
/* inputs.c: the thread that hashes the modules and digests the other
 * inputs for the seed (started by mk_inputs_read); waiting twice is
 * harmless. */
void mk_modules_hashed(struct mk_plan *p);
/* seed.c: the seed GUIDs and signatures derive from (mk_plan_finish),
 * from p->digests (made with mk_bulk_digest) and the SHA-256 values. */
void mk_seed_make(struct mk_plan *p, const struct mk_opts *o);
uint64_t mk_bulk_digest(const struct mk_blob *b);

/* inputs.c, for tests: NULL or why the bytes are not a usable kernel,
 * stage1 or stage2 (room: bytes of the BIOS boot partition). */
const char *mk_kernel_check(const uint8_t *data, uint64_t size);
const char *mk_stage1_check(const uint8_t *data, uint64_t size);
const char *mk_stage2_check(const uint8_t *data, uint64_t size, uint64_t room);

#endif

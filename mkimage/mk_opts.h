/* mkimage's settings, from the command line and from a recipe file
 * (`-c FILE`: "key = value" lines with the long options' names). */
#ifndef HYBOOT_MK_OPTS_H
#define HYBOOT_MK_OPTS_H

#include <stddef.h>

#include "strmap.h"

/* Where a setting came from, for messages: "command line" or "FILE:LINE". */
struct mk_file_spec {
    char *src;      /* host path */
    char *dest;     /* absolute path on the ESP */
    char *where;
};

struct mk_module_spec {
    char *src;      /* host path; lands on the ESP as /boot/<basename> */
    char *string;   /* the module's string for the kernel, or NULL */
    char *where;
};

#define MK_OPTS_KEYS 32     /* room for every key of opts.c's table */

/* Every value is kept as text until the merged settings are checked;
 * NULL (or -1 for flags) means "not given". */
struct mk_opts {
    char *output, *kernel, *efi, *stage1, *stage2;
    char *cmdline, *resolution, *label, *seed, *size, *fat, *mbr, *esp_mbr_type;
    char *efi32;                    /* BOOTIA32.EFI (32-bit UEFI firmware) */
    char *sector_size;              /* "512" or "4096" */
    /* Secure Boot (mk_sign.h): the key and certificate the EFI loaders
     * are signed with, the key's passphrase as openssl's -passin takes
     * it (pass:, env:, file:, fd:), and a folder of PK/KEK/db.auth to put
     * on the ESP for the loader's Setup Mode enrolment. */
    char *sign_key, *sign_cert, *sign_pass, *enroll_keys;
    /* The shim + MOK route: shim as BOOTX64.EFI, our loader beside it as
     * grubx64.efi (the name shim starts), MokManager as mmx64.efi. */
    char *shim, *mok_manager;
    int active_ee, force_device;
    struct mk_file_spec *files;
    size_t nfiles;
    struct mk_strmap dests;         /* mk_esp_path_key(dest) -> index + 1 in files */
    struct mk_module_spec *modules;
    size_t nmodules;
    char *recipe;                   /* the recipe read, if any */
    char *where[MK_OPTS_KEYS];      /* origin of each single-valued key */
};

void mk_opts_init(struct mk_opts *o);
void mk_opts_free(struct mk_opts *o);

/* Sets one key (long option name without "--"). Relative host paths are
 * taken relative to base_dir when it is non-NULL (recipe files).
 * `where` names the origin for messages. Returns 0, or -1 after printing
 * an error (a usage error). Two files for one destination (compared as
 * FAT compares names) from the same origin are an error. */
int mk_opts_set(struct mk_opts *o, const char *key, const char *value, const char *where,
                const char *base_dir);
/* Is `key` a key mk_opts_set knows? Flags take "yes"/"no" in recipes. */
int mk_opts_known(const char *key);
int mk_opts_is_flag(const char *key);

/* An error about the value of `key`, naming where it came from:
 *   mkimage: error: --size 12Q: <reason>          (command line)
 *   mkimage: error: r.conf:3: size: <reason>      (recipe) */
void mk_opt_error(const struct mk_opts *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reads recipe `path` into o. Returns 0; 1 when the file cannot be read;
 * 2 on a syntax error or unknown key (each reported). */
int mk_recipe_load(struct mk_opts *o, const char *path);

/* Settings of `over` (the command line) replace those of `base` (the
 * recipe); files are combined, a file of `over` replacing one of `base`
 * with the same destination; modules are combined. `base` receives the
 * result; `over` is emptied. */
void mk_opts_merge(struct mk_opts *base, struct mk_opts *over);

/* An ESP path as FAT compares it: components folded (fat_fold), repeated
 * slashes dropped ("/EFI//Boot" -> "/EFI/BOOT"). Allocated. Two paths
 * name the same file when their keys are equal. */
char *mk_esp_path_key(const char *path);
int mk_esp_path_equal(const char *a, const char *b);

#endif

/* mkimage's settings, from the command line and from a recipe file
 * (`-c FILE`: "key = value" lines with the long options' names). */
#ifndef HYBOOT_MK_OPTS_H
#define HYBOOT_MK_OPTS_H

#include <stddef.h>

struct mk_file_spec {
    char *src;      /* host path */
    char *dest;     /* absolute path on the ESP */
    char *where;    /* "command line" or "recipe:line", for messages */
};

/* Every value is kept as text until the merged settings are checked;
 * NULL (or -1 for flags) means "not given". */
struct mk_opts {
    char *output, *kernel, *efi, *stage1, *stage2;
    char *cmdline, *resolution, *label, *seed, *size, *fat, *mbr, *esp_mbr_type;
    int active_ee, force_device;
    struct mk_file_spec *files;
    size_t nfiles;
};

void mk_opts_init(struct mk_opts *o);
void mk_opts_free(struct mk_opts *o);

/* Sets one key (long option name without "--"). Relative host paths are
 * taken relative to base_dir when it is non-NULL (recipe files).
 * `where` names the origin for messages. Returns 0, or -1 after printing
 * an error (a usage error). */
int mk_opts_set(struct mk_opts *o, const char *key, const char *value, const char *where,
                const char *base_dir);
/* Is `key` a key mk_opts_set knows? Flags take "yes"/"no" in recipes. */
int mk_opts_known(const char *key);
int mk_opts_is_flag(const char *key);

/* Reads recipe `path` into o. Returns 0; 1 when the file cannot be read;
 * 2 on a syntax error or unknown key (each reported). */
int mk_recipe_load(struct mk_opts *o, const char *path);

/* Settings of `over` replace those of `base`; files are combined, a
 * file of `over` replacing one of `base` with the same destination.
 * `base` receives the result; `over` is emptied. */
void mk_opts_merge(struct mk_opts *base, struct mk_opts *over);

#endif

/* One table of settings shared by the command line and recipe files. */
#include "mk_opts.h"
#include "mk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_PATH, K_TEXT, K_FLAG, K_FILE };

struct key {
    const char *name;
    enum kind kind;
    size_t off;
};

#define S(f) offsetof(struct mk_opts, f)
static const struct key keys[] = {
    { "output", K_PATH, S(output) },
    { "kernel", K_PATH, S(kernel) },
    { "efi", K_PATH, S(efi) },
    { "stage1", K_PATH, S(stage1) },
    { "stage2", K_PATH, S(stage2) },
    { "file", K_FILE, 0 },
    { "cmdline", K_TEXT, S(cmdline) },
    { "resolution", K_TEXT, S(resolution) },
    { "label", K_TEXT, S(label) },
    { "seed", K_TEXT, S(seed) },
    { "size", K_TEXT, S(size) },
    { "fat", K_TEXT, S(fat) },
    { "mbr", K_TEXT, S(mbr) },
    { "esp-mbr-type", K_TEXT, S(esp_mbr_type) },
    { "active-ee", K_FLAG, S(active_ee) },
    { "force-device", K_FLAG, S(force_device) },
};
#undef S

static const struct key *find(const char *name)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

int mk_opts_known(const char *key) { return find(key) != NULL; }
int mk_opts_is_flag(const char *key)
{
    const struct key *k = find(key);
    return k && k->kind == K_FLAG;
}

void mk_opts_init(struct mk_opts *o)
{
    memset(o, 0, sizeof *o);
    o->active_ee = -1;
    o->force_device = -1;
}

static char **text_field(struct mk_opts *o, const struct key *k)
{
    return (char **)((char *)o + k->off);
}

void mk_opts_free(struct mk_opts *o)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].kind == K_PATH || keys[i].kind == K_TEXT)
            free(*text_field(o, &keys[i]));
    for (size_t i = 0; i < o->nfiles; i++) {
        free(o->files[i].src);
        free(o->files[i].dest);
        free(o->files[i].where);
    }
    free(o->files);
    mk_opts_init(o);
}

static char *resolve(const char *path, const char *base_dir)
{
    if (!base_dir || path[0] == '/' || !path[0])
        return mk_strdup(path);
    size_t n = strlen(base_dir) + 1 + strlen(path) + 1;
    char *r = mk_zalloc(n);
    snprintf(r, n, "%s/%s", base_dir, path);
    return r;
}

int mk_opts_set(struct mk_opts *o, const char *name, const char *value, const char *where,
                const char *base_dir)
{
    const struct key *k = find(name);
    if (!k) {
        mk_error(where, "unknown setting \"%s\"", name);
        return -1;
    }
    switch (k->kind) {
    case K_PATH:
        if (!*value) {
            mk_error(where, "%s: empty path", name);
            return -1;
        }
        free(*text_field(o, k));
        *text_field(o, k) = resolve(value, base_dir);
        return 0;
    case K_TEXT:
        free(*text_field(o, k));
        *text_field(o, k) = mk_strdup(value);
        return 0;
    case K_FLAG: {
        int *f = (int *)((char *)o + k->off);
        if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
            *f = 1;
        else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") || !strcmp(value, "0"))
            *f = 0;
        else {
            mk_error(where, "%s: expected yes or no, got \"%s\"", name, value);
            return -1;
        }
        return 0;
    }
    case K_FILE: {
        const char *eq = strchr(value, '=');
        if (!eq || eq == value || !eq[1]) {
            mk_error(where, "file: expected SRC=DEST (e.g. notes.txt=/docs/notes.txt), got \"%s\"", value);
            return -1;
        }
        if (eq[1] != '/') {
            mk_error(where, "file: destination \"%s\" must be an absolute path on the ESP", eq + 1);
            return -1;
        }
        char *src = mk_zalloc((size_t)(eq - value) + 1);
        memcpy(src, value, (size_t)(eq - value));
        o->files = mk_realloc(o->files, (o->nfiles + 1) * sizeof *o->files);
        struct mk_file_spec *f = &o->files[o->nfiles++];
        f->src = resolve(src, base_dir);
        free(src);
        f->dest = mk_strdup(eq + 1);
        f->where = mk_strdup(where);
        return 0;
    }
    }
    return -1;
}

void mk_opts_merge(struct mk_opts *base, struct mk_opts *over)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key *k = &keys[i];
        if (k->kind == K_PATH || k->kind == K_TEXT) {
            char **b = text_field(base, k), **v = text_field(over, k);
            if (*v) {
                free(*b);
                *b = *v;
                *v = NULL;
            }
        } else if (k->kind == K_FLAG) {
            int *b = (int *)((char *)base + k->off), *v = (int *)((char *)over + k->off);
            if (*v >= 0)
                *b = *v;
        }
    }
    for (size_t i = 0; i < over->nfiles; i++) {
        struct mk_file_spec *f = &over->files[i];
        size_t j;
        for (j = 0; j < base->nfiles; j++)
            if (strcmp(base->files[j].dest, f->dest) == 0)
                break;
        if (j == base->nfiles) {
            base->files = mk_realloc(base->files, (base->nfiles + 1) * sizeof *base->files);
            base->nfiles++;
        } else {
            free(base->files[j].src);
            free(base->files[j].dest);
            free(base->files[j].where);
        }
        base->files[j] = *f;
    }
    free(over->files);
    over->files = NULL;
    over->nfiles = 0;
    mk_opts_free(over);
}

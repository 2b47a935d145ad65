/* One table of settings shared by the command line and recipe files. */
#include "mk_opts.h"
#include "mk.h"
#include "fat_name.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum kind { K_PATH, K_TEXT, K_FLAG, K_FILE, K_MODULE };

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
    { "module", K_MODULE, 0 },
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
    { "efi32", K_PATH, S(efi32) },
    { "sector-size", K_TEXT, S(sector_size) },
    { "sign-key", K_PATH, S(sign_key) },
    { "sign-cert", K_PATH, S(sign_cert) },
    { "sign-pass", K_TEXT, S(sign_pass) },
    { "enroll-keys", K_PATH, S(enroll_keys) },
    { "shim", K_PATH, S(shim) },
    { "mok-manager", K_PATH, S(mok_manager) },
};
#undef S
#define NKEYS (sizeof keys / sizeof keys[0])
_Static_assert(NKEYS <= MK_OPTS_KEYS, "MK_OPTS_KEYS too small");

static const struct key *find(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
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

static void free_files(struct mk_opts *o)
{
    for (size_t i = 0; i < o->nfiles; i++) {
        free(o->files[i].src);
        free(o->files[i].dest);
        free(o->files[i].where);
    }
    free(o->files);
    for (size_t i = 0; i < o->nmodules; i++) {
        free(o->modules[i].src);
        free(o->modules[i].string);
        free(o->modules[i].where);
    }
    free(o->modules);
    mk_strmap_free(&o->dests);
}

void mk_opts_free(struct mk_opts *o)
{
    for (size_t i = 0; i < NKEYS; i++) {
        if (keys[i].kind == K_PATH || keys[i].kind == K_TEXT)
            free(*text_field(o, &keys[i]));
        free(o->where[i]);
    }
    free_files(o);
    free(o->recipe);
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

char *mk_esp_path_key(const char *path)
{
    char *key = mk_zalloc(strlen(path) + 2), *k = key;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        *k++ = '/';
        while (*p && *p != '/')
            *k++ = (char)fat_fold((unsigned char)*p++);
    }
    *k = 0;
    return key;
}

int mk_esp_path_equal(const char *a, const char *b)
{
    char *ka = mk_esp_path_key(a), *kb = mk_esp_path_key(b);
    int same = strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return same;
}

/* "--size 12Q" for the command line, "r.conf:3: size" for a recipe, with
 * the value shortened for a message. */
void mk_opt_error(const struct mk_opts *o, const char *key, const char *fmt, ...)
{
    const struct key *k = find(key);
    const char *where = k ? o->where[k - keys] : NULL;
    char input[320], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (where && strcmp(where, "command line") != 0) {
        snprintf(input, sizeof input, "%s", where);
        mk_error(input, "%s: %s", key, msg);
        return;
    }
    const char *v = k && (k->kind == K_PATH || k->kind == K_TEXT) ? *text_field((struct mk_opts *)o, k) : NULL;
    /* The value goes into a terminal: show it only when it is short and
     * printable (a bad --cmdline may be neither). */
    int show = v && strlen(v) <= 64;
    for (const char *c = v; show && *c; c++)
        show = (unsigned char)*c >= 0x20 && (unsigned char)*c != 0x7f;
    if (show)
        snprintf(input, sizeof input, "--%s %s", key, v);
    else
        snprintf(input, sizeof input, "--%s", key);
    mk_error(input, "%s", msg);
}

static int add_file(struct mk_opts *o, const char *value, const char *where, const char *base_dir)
{
    const char *eq = strchr(value, '=');
    if (!eq || eq == value || !eq[1]) {
        mk_error(where, "file: expected SRC=DEST (e.g. notes.txt=/docs/notes.txt), got \"%s\"", value);
        return -1;
    }
    if (eq[1] != '/') {
        mk_error(where, "file: destination \"%s\" must be an absolute path on the ESP", eq + 1);
        return -1;
    }
    /* One origin giving one destination twice is a mistake, not an override. */
    char *key = mk_esp_path_key(eq + 1);
    size_t seen = (size_t)(uintptr_t)mk_strmap_get(&o->dests, key);
    if (seen) {
        mk_error(where, "file: destination %s given twice (also %s at %s)", eq + 1, o->files[seen - 1].dest,
                 o->files[seen - 1].where);
        free(key);
        return -1;
    }
    mk_strmap_put(&o->dests, key, (void *)(uintptr_t)(o->nfiles + 1));
    free(key);
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

/* "SRC=STRING" on the command line, "SRC STRING" in a recipe. */
static int add_module(struct mk_opts *o, const char *value, const char *where, const char *base_dir)
{
    const char *sep = base_dir ? value + strcspn(value, " \t") : strchr(value, '=');
    size_t srclen = sep && *sep ? (size_t)(sep - value) : strlen(value);
    if (!srclen) {
        mk_error(where, "module: expected %s, got \"%s\"", base_dir ? "SRC [STRING]" : "SRC[=STRING]", value);
        return -1;
    }
    char *src = mk_zalloc(srclen + 1);
    memcpy(src, value, srclen);
    o->modules = mk_realloc(o->modules, (o->nmodules + 1) * sizeof *o->modules);
    struct mk_module_spec *m = &o->modules[o->nmodules++];
    m->src = resolve(src, base_dir);
    free(src);
    m->string = NULL;
    if (sep && *sep) {
        const char *s = sep + 1;
        while (base_dir && (*s == ' ' || *s == '\t'))
            s++;
        m->string = mk_strdup(s);
    }
    m->where = mk_strdup(where);
    return 0;
}

int mk_opts_set(struct mk_opts *o, const char *name, const char *value, const char *where,
                const char *base_dir)
{
    const struct key *k = find(name);
    if (!k) {
        mk_error(where, "unknown setting \"%s\"", name);
        return -1;
    }
    size_t ki = (size_t)(k - keys);
    switch (k->kind) {
    case K_PATH:
        if (!*value) {
            mk_error(where, "%s: empty path", name);
            return -1;
        }
        free(*text_field(o, k));
        *text_field(o, k) = resolve(value, base_dir);
        break;
    case K_TEXT:
        free(*text_field(o, k));
        *text_field(o, k) = mk_strdup(value);
        break;
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
        break;
    }
    case K_FILE:
        return add_file(o, value, where, base_dir);
    case K_MODULE:
        return add_module(o, value, where, base_dir);
    }
    free(o->where[ki]);
    o->where[ki] = mk_strdup(where);
    return 0;
}

void mk_opts_merge(struct mk_opts *base, struct mk_opts *over)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key *k = &keys[i];
        int given = 0;
        if (k->kind == K_PATH || k->kind == K_TEXT) {
            char **b = text_field(base, k), **v = text_field(over, k);
            if (*v) {
                free(*b);
                *b = *v;
                *v = NULL;
                given = 1;
            }
        } else if (k->kind == K_FLAG) {
            int *b = (int *)((char *)base + k->off), *v = (int *)((char *)over + k->off);
            if (*v >= 0) {
                *b = *v;
                given = 1;
            }
        }
        if (given) {
            free(base->where[i]);
            base->where[i] = over->where[i];
            over->where[i] = NULL;
        }
    }
    for (size_t i = 0; i < over->nfiles; i++) {
        struct mk_file_spec *f = &over->files[i];
        char *key = mk_esp_path_key(f->dest);
        size_t j = (size_t)(uintptr_t)mk_strmap_get(&base->dests, key);
        if (!j) {
            base->files = mk_realloc(base->files, (base->nfiles + 1) * sizeof *base->files);
            j = base->nfiles++;
            mk_strmap_put(&base->dests, key, (void *)(uintptr_t)(j + 1));
        } else {
            j--;
            free(base->files[j].src);
            free(base->files[j].dest);
            free(base->files[j].where);
        }
        base->files[j] = *f;
        free(key);
    }
    free(over->files);
    over->files = NULL;
    over->nfiles = 0;
    base->modules = mk_realloc(base->modules, (base->nmodules + over->nmodules + 1) * sizeof *base->modules);
    memcpy(base->modules + base->nmodules, over->modules, over->nmodules * sizeof *over->modules);
    base->nmodules += over->nmodules;
    free(over->modules);
    over->modules = NULL;
    over->nmodules = 0;
    if (over->recipe && !base->recipe) {
        base->recipe = over->recipe;
        over->recipe = NULL;
    }
    mk_opts_free(over);
}

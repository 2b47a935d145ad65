/* /boot/boot.cfg as mkimage writes it: the keys of common/bootcfg.h, then
 * parsed back with the loaders' own parser, so what mkimage writes is what
 * they read. A line the parser refuses is reported against the option or
 * recipe line that gave its value. */
#include "mk_plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
    char  *s;
    size_t len, cap;
    int    lines;
};

static void add_line(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 2 > t->cap) {
        t->cap = 2 * (t->len + (size_t)n + 2);
        t->s = mk_realloc(t->s, t->cap);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
    t->s[t->len++] = '\n';
    t->s[t->len] = 0;
    t->lines++;
}

/* Parses the text back and checks the loaders will see what we meant.
 * Returns MK_EXIT_OK or reports against the option that gave the value. */
#define CMDLINE_LINE 3          /* the comment, kernel=, then cmdline= */

static int parse_back(struct mk_plan *p, const struct mk_opts *o, const int *module_of)
{
    struct boot_cfg *cfg = mk_zalloc(sizeof *cfg);
    const char *why = NULL;
    bootcfg_defaults(cfg);
    int bad = bootcfg_parse(cfg, p->bootcfg, p->bootcfg_len, &why);
    int r = MK_EXIT_FAIL;
    if (bad) {
        int m = module_of ? module_of[bad - 1] : -1;
        if (m >= 0)
            mk_error(o->modules[m].where, "module %s: %s", o->modules[m].src, why);
        else if (bad == CMDLINE_LINE)
            mk_opt_error(o, "cmdline", "%s", why);
        else if (o->resolution && bad == CMDLINE_LINE + 1)
            mk_opt_error(o, "resolution", "%s", why);
        else
            mk_error(BOOTCFG_PATH, "line %d would not parse: %s", bad, why);
    } else if (strcmp(cfg->cmdline, o->cmdline ? o->cmdline : "") != 0) {
        mk_opt_error(o, "cmdline", "boot.cfg trims spaces around values: the loaders would pass \"%s\"",
                     cfg->cmdline);
    } else if (!cfg->has_sha256 || memcmp(cfg->kernel_sha256, p->kernel_sha256, SHA256_LEN) != 0 ||
               cfg->module_count != o->nmodules) {
        mk_error(BOOTCFG_PATH, "the loaders would not read back what mkimage wrote");
    } else {
        r = MK_EXIT_OK;
        for (size_t i = 0; i < o->nmodules; i++)
            if (strcmp(cfg->modules[i].path, p->modules[i].dest) != 0 ||
                (p->bootcfg_final && memcmp(cfg->modules[i].sha256, p->modules[i].sha256, SHA256_LEN) != 0) ||
                strcmp(cfg->modules[i].string, o->modules[i].string ? o->modules[i].string : "") != 0) {
                mk_error(o->modules[i].where, "module %s: the loaders would not read back its boot.cfg lines "
                         "(spaces around its string are trimmed)", o->modules[i].src);
                r = MK_EXIT_FAIL;
                break;
            }
    }
    free(cfg);
    return r;
}

int mk_bootcfg_make(struct mk_plan *p, const struct mk_opts *o)
{
    static const char zeros[2 * SHA256_LEN + 1] =
        "0000000000000000000000000000000000000000000000000000000000000000";
    char hex[2 * SHA256_LEN + 1];
    struct text t = { 0 };
    /* For each line, the module it belongs to (-1: a setting). */
    int *module_of = mk_zalloc((5 + 3 * o->nmodules) * sizeof *module_of);
    add_line(&t, "# hyboot boot configuration, written by mkimage");
    add_line(&t, "kernel=%s", MK_ESP_KERNEL);
    add_line(&t, "cmdline=%s", o->cmdline ? o->cmdline : "");
    if (o->resolution)
        add_line(&t, "resolution=%s", o->resolution);
    sha256_hex(p->kernel_sha256, hex);
    add_line(&t, "kernel_sha256=%s", hex);
    for (int i = 0; i < t.lines; i++)
        module_of[i] = -1;
    for (size_t i = 0; i < o->nmodules; i++) {
        struct mk_module *m = &p->modules[i];
        int first = t.lines;
        add_line(&t, "module=%s", m->dest);
        if (m->spec->string)
            add_line(&t, "module_string=%s", m->spec->string);
        add_line(&t, "module_sha256=%s", zeros);
        m->hex_at = t.len - 1 - 2 * SHA256_LEN;
        for (int l = first; l < t.lines; l++)
            module_of[l] = (int)i;
    }
    p->bootcfg = t.s;
    p->bootcfg_len = t.len;
    p->bootcfg_final = o->nmodules == 0;

    int r = MK_EXIT_FAIL;
    if (t.len > BOOTCFG_MAX_BYTES)
        mk_error(BOOTCFG_PATH, "would be %zu bytes; the loaders read at most %u", t.len, BOOTCFG_MAX_BYTES);
    else
        r = parse_back(p, o, module_of);
    free(module_of);
    return r;
}

int mk_bootcfg_finish(struct mk_plan *p)
{
    mk_modules_hashed(p);
    if (p->bootcfg_final)
        return MK_EXIT_OK;
    char hex[2 * SHA256_LEN + 1];
    for (size_t i = 0; i < p->o->nmodules; i++) {
        sha256_hex(p->modules[i].sha256, hex);
        memcpy(p->bootcfg + p->modules[i].hex_at, hex, 2 * SHA256_LEN);
    }
    p->bootcfg_final = 1;
    return parse_back(p, p->o, NULL);
}

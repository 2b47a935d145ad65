#include "bootcfg.h"
#include "mem.h"

void bootcfg_defaults(struct boot_cfg *cfg)
{
    /* Not the module table (54 KiB, the struct's tail): module= clears
     * each entry it starts, and touching all of it cost the UEFI loader
     * fresh pages (docs/performance.md). */
    _Static_assert(offsetof(struct boot_cfg, modules) + sizeof cfg->modules == sizeof *cfg,
                   "the module table is the last field");
    memset(cfg, 0, offsetof(struct boot_cfg, modules));
    hy_strlcpy(cfg->kernel, BOOTCFG_DEFAULT_KERNEL, sizeof cfg->kernel);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int bootcfg_parse_resolution(const char *s, size_t n, uint32_t *w, uint32_t *h)
{
    uint32_t v[2] = { 0, 0 };
    int part = 0;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            v[part] = v[part] * 10 + (uint32_t)(c - '0');
            if (v[part] > 65535) return -1;
            digits++;
        } else if ((c == 'x' || c == 'X') && part == 0 && digits) {
            part = 1;
            digits = 0;
        } else {
            return -1;
        }
    }
    if (part != 1 || !digits || !v[0] || !v[1]) return -1;
    *w = v[0];
    *h = v[1];
    return 0;
}

static int key_is(const char *k, size_t kn, const char *name)
{
    size_t n = strlen(name);
    return kn == n && hy_strncasecmp(k, name, n) == 0;
}

static int set_string(char *dst, size_t cap, const char *v, size_t vn)
{
    if (vn >= cap) return -1;
    memcpy(dst, v, vn);
    dst[vn] = 0;
    return 0;
}

/* A path the loaders can open: absolute and fitting the buffer. */
static const char *set_path(char *dst, const char *v, size_t vn, const char *what_relative,
                            const char *what_long)
{
    if (vn == 0 || v[0] != '/') return what_relative;
    if (set_string(dst, BOOTCFG_PATH_MAX, v, vn)) return what_long;
    return 0;
}

/* Applies one trimmed "key = value" line; NULL or the reason it is bad. */
static const char *apply(struct boot_cfg *cfg, const char *k, size_t kn, const char *v, size_t vn)
{
    struct boot_cfg_module *m = cfg->module_count ? &cfg->modules[cfg->module_count - 1] : 0;
    if (key_is(k, kn, "kernel"))
        return set_path(cfg->kernel, v, vn, "kernel must be an absolute path", "kernel path too long");
    if (key_is(k, kn, "cmdline"))
        return set_string(cfg->cmdline, sizeof cfg->cmdline, v, vn) ? "cmdline too long" : 0;
    if (key_is(k, kn, "resolution"))
        return bootcfg_parse_resolution(v, vn, &cfg->res_width, &cfg->res_height)
                   ? "resolution must be WIDTHxHEIGHT" : 0;
    if (key_is(k, kn, "kernel_sha256")) {
        if (sha256_parse_hex(v, vn, cfg->kernel_sha256)) return "kernel_sha256 must be 64 hex digits";
        cfg->has_sha256 = 1;
        return 0;
    }
    if (key_is(k, kn, "module")) {
        if (cfg->module_count == BOOTCFG_MODULES_MAX) return "more modules than a loader takes (128)";
        m = &cfg->modules[cfg->module_count];
        memset(m, 0, sizeof *m);
        const char *why = set_path(m->path, v, vn, "module must be an absolute path", "module path too long");
        if (!why) cfg->module_count++;
        return why;
    }
    if (key_is(k, kn, "module_string")) {
        if (!m) return "module_string before any module= line";
        return set_string(m->string, sizeof m->string, v, vn) ? "module_string too long" : 0;
    }
    if (key_is(k, kn, "module_sha256")) {
        if (!m) return "module_sha256 before any module= line";
        if (m->has_sha256) return "a second module_sha256 for one module";
        if (sha256_parse_hex(v, vn, m->sha256)) return "module_sha256 must be 64 hex digits";
        m->has_sha256 = 1;
        return 0;
    }
    if (key_is(k, kn, "bench_raw_read"))
        cfg->bench_raw_read = vn == 1 && v[0] == '1';
    if (key_is(k, kn, "verbose"))
        cfg->verbose = vn == 1 && v[0] == '1';
    /* other keys: ignored on purpose (newer files, older loaders) */
    return 0;
}

int bootcfg_parse(struct boot_cfg *cfg, const char *text, size_t len, const char **why)
{
    size_t pos = 0;
    int line = 0;
    /* A UTF-8 byte-order mark (Notepad writes one) is not part of a key. */
    if (len >= 3 && (uint8_t)text[0] == 0xef && (uint8_t)text[1] == 0xbb && (uint8_t)text[2] == 0xbf)
        pos = 3;
    while (pos < len) {
        size_t start = pos;
        while (pos < len && text[pos] != '\n') pos++;
        size_t end = pos;
        if (pos < len) pos++;   /* skip '\n' */
        line++;

        for (size_t i = start; i < end; i++) {
            uint8_t c = (uint8_t)text[i];
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
                *why = c ? "control character" : "NUL byte";
                return line;
            }
        }
        while (start < end && is_space(text[start])) start++;
        while (end > start && is_space(text[end - 1])) end--;
        if (start == end || text[start] == '#')
            continue;

        size_t eq = start;
        while (eq < end && text[eq] != '=') eq++;
        if (eq == end) { *why = "missing '='"; return line; }
        size_t ke = eq, vs = eq + 1;
        while (ke > start && is_space(text[ke - 1])) ke--;
        while (vs < end && is_space(text[vs])) vs++;
        const char *bad = apply(cfg, text + start, ke - start, text + vs, end - vs);
        if (bad) { *why = bad; return line; }
    }
    return 0;
}

#include "bootcfg.h"
#include "mem.h"

void bootcfg_defaults(struct boot_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    hy_strlcpy(cfg->kernel, BOOTCFG_DEFAULT_KERNEL, sizeof cfg->kernel);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Parses "<w>x<h>" with both in 1..65535. */
static int parse_resolution(const char *s, size_t n, uint32_t *w, uint32_t *h)
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

int bootcfg_parse(struct boot_cfg *cfg, const char *text, size_t len, const char **why)
{
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        size_t start = pos;
        while (pos < len && text[pos] != '\n') pos++;
        size_t end = pos;
        if (pos < len) pos++;   /* skip '\n' */
        line++;

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
        const char *k = text + start, *v = text + vs;
        size_t kn = ke - start, vn = end - vs;

        if (key_is(k, kn, "kernel")) {
            if (vn == 0 || v[0] != '/') { *why = "kernel must be an absolute path"; return line; }
            if (set_string(cfg->kernel, sizeof cfg->kernel, v, vn)) { *why = "kernel path too long"; return line; }
        } else if (key_is(k, kn, "cmdline")) {
            if (set_string(cfg->cmdline, sizeof cfg->cmdline, v, vn)) { *why = "cmdline too long"; return line; }
        } else if (key_is(k, kn, "resolution")) {
            if (parse_resolution(v, vn, &cfg->res_width, &cfg->res_height)) {
                *why = "resolution must be WIDTHxHEIGHT";
                return line;
            }
        } else if (key_is(k, kn, "kernel_sha256")) {
            if (sha256_parse_hex(v, vn, cfg->kernel_sha256)) { *why = "kernel_sha256 must be 64 hex digits"; return line; }
            cfg->has_sha256 = 1;
        } else if (key_is(k, kn, "bench_raw_read")) {
            cfg->bench_raw_read = vn == 1 && v[0] == '1';
        }
        /* other keys: ignored on purpose (newer files, older loaders) */
    }
    return 0;
}

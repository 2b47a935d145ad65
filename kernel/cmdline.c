/* Command-line word lookup (see cmdline.h). */
#include "cmdline.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Calls visit(word, len) for each word until it returns non-zero. */
static int each_word(const char *s, int (*visit)(const char *w, size_t len, void *ctx), void *ctx)
{
    while (s && *s) {
        while (is_space(*s))
            s++;
        const char *w = s;
        while (*s && !is_space(*s))
            s++;
        if (s > w && visit(w, (size_t)(s - w), ctx))
            return 1;
    }
    return 0;
}

static int same(const char *w, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len; i++) {
        if (!lit[i] || lit[i] != w[i])
            return 0;
    }
    return lit[i] == '\0';
}

static int match_flag(const char *w, size_t len, void *ctx)
{
    return same(w, len, ctx);
}

int cmdline_has(const char *cmdline, const char *word)
{
    return each_word(cmdline, match_flag, (void *)word);
}

struct kv {
    const char *key;
    char *val;
    size_t n;
};

static int match_key(const char *w, size_t len, void *ctx)
{
    struct kv *kv = ctx;
    size_t k = 0;
    while (k < len && w[k] != '=')
        k++;
    if (k == len || !same(w, k, kv->key))
        return 0;
    if (kv->n) {
        size_t vlen = len - k - 1, i;
        for (i = 0; i < vlen && i + 1 < kv->n; i++)
            kv->val[i] = w[k + 1 + i];
        kv->val[i] = '\0';
    }
    return 1;
}

int cmdline_value(const char *cmdline, const char *key, char *val, size_t n)
{
    struct kv kv = { key, val, n };
    return each_word(cmdline, match_key, &kv);
}

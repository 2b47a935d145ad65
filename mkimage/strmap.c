/* Open addressing, linear probing, FNV-1a, grown at half full. */
#include "strmap.h"
#include "mk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
    return h;
}

static struct mk_strmap_slot *find(const struct mk_strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->slot[i].key && strcmp(m->slot[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slot[i];
}

void *mk_strmap_get(const struct mk_strmap *m, const char *key)
{
    return m->cap ? find(m, key)->val : NULL;
}

void mk_strmap_put(struct mk_strmap *m, const char *key, void *val)
{
    if (2 * (m->n + 1) > m->cap) {
        struct mk_strmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 16;
        m->slot = mk_zalloc(m->cap * sizeof *m->slot);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slot[i].key) {
                *find(m, old.slot[i].key) = old.slot[i];
                m->n++;
            }
        free(old.slot);
    }
    struct mk_strmap_slot *s = find(m, key);
    if (!s->key) {
        s->key = mk_strdup(key);
        m->n++;
    }
    s->val = val;
}

void mk_strmap_free(struct mk_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slot[i].key);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

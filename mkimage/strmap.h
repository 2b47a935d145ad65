/* A string -> pointer hash map (keys copied), for the lookups that must
 * stay fast with tens of thousands of names in one folder. */
#ifndef HYBOOT_MK_STRMAP_H
#define HYBOOT_MK_STRMAP_H

#include <stddef.h>

struct mk_strmap {
    struct mk_strmap_slot { char *key; void *val; } *slot;
    size_t cap, n;                /* cap: 0 or a power of two */
};

/* The value stored under key, or NULL. */
void *mk_strmap_get(const struct mk_strmap *m, const char *key);
/* Stores val under key (replacing an earlier value). */
void mk_strmap_put(struct mk_strmap *m, const char *key, void *val);
void mk_strmap_free(struct mk_strmap *m);

#endif

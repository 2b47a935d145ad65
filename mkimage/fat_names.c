/* The names inside one folder of the ESP: finding an entry by its long or
 * its 8.3 name (case-insensitively, as the loaders look names up), and
 * giving each new entry a unique 8.3 alias. The rules of a name (the 8.3
 * character set, the basis, the "~N" tail, what a long name may hold) are
 * common/fat_name.c's, shared with the reader. Both lookups are hash
 * maps, and each basis remembers its last tail, so a folder of n entries
 * costs O(n), not the O(n^3) of trying ~1, ~2, ... against every sibling. */
#include "mk_fat.h"
#include "mk.h"

#include <stdio.h>
#include <string.h>

/* fat_fold of the whole name: the key both lookups use. */
static void folded(const char *s, char *out, size_t cap)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++)
        out[i] = (char)fat_fold((uint8_t)s[i]);
    out[i] = 0;
}

void *mk_fat_names_find(const struct mk_fat_names *n, const char *name)
{
    char key[FAT_NAME_TEXT_MAX + 8];
    if (strlen(name) >= sizeof key - 1)
        return NULL;
    folded(name, key, sizeof key);
    return mk_strmap_get(&n->by_name, key);
}

/* Taken by an entry other than `self` (an alias may spell its own long
 * name: "kernel.elf" is KERNEL.ELF). */
static int taken(const struct mk_fat_names *n, const char sn[11], const void *self)
{
    char text[13];
    fat_short_to_text(sn, 0, text);
    const void *e = mk_fat_names_find(n, text);
    return e && e != self;
}

void mk_fat_names_add(struct mk_fat_names *n, const char *name, void *entry)
{
    char key[FAT_NAME_TEXT_MAX + 8];
    folded(name, key, sizeof key);
    mk_strmap_put(&n->by_name, key, entry);
}

int mk_fat_alias(struct mk_fat_names *n, const char *name, const void *self, char out[11])
{
    int lossy, exact;
    int base_len = fat_short_basis(name, out, &lossy, &exact);
    if (!lossy && !taken(n, out, self))
        return exact ? 0 : 1;

    /* The basis (base cut to its length, extension) keys the tail counter. */
    char basis[11], key[16];
    memcpy(basis, out, 11);
    snprintf(key, sizeof key, "%d:%.11s", base_len, basis);
    unsigned tail = (unsigned)(uintptr_t)mk_strmap_get(&n->tails, key);
    while (++tail <= 999999) {
        fat_short_tail(basis, base_len, tail, out);
        if (!taken(n, out, self)) {
            mk_strmap_put(&n->tails, key, (void *)(uintptr_t)tail);
            return 1;
        }
    }
    return -1;   /* a million names alike in one folder */
}

void mk_fat_names_free(struct mk_fat_names *n)
{
    mk_strmap_free(&n->by_name);
    mk_strmap_free(&n->tails);
}

/* Recipe files: "key = value" per line, the keys being the long option
 * names; '#' starts a comment line; blank lines are ignored. Relative
 * paths in a recipe are relative to the recipe's own folder, so a recipe
 * works from any working directory. */
#include "mk_opts.h"
#include "mk.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = 0;
    return s;
}

int mk_recipe_load(struct mk_opts *o, const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        mk_error(path, "cannot open recipe: %s", strerror(errno));
        return 1;
    }
    char *copy = mk_strdup(path);
    char *dir = mk_strdup(dirname(copy));
    free(copy);

    char *line = NULL;
    size_t cap = 0;
    int lineno = 0, status = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        char where[4096];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            mk_error(where, "expected \"key = value\"");
            status = 2;
            continue;
        }
        *eq = 0;
        char *key = trim(s), *value = trim(eq + 1);
        if (!mk_opts_known(key)) {
            mk_error(where, "unknown key \"%s\"", key);
            status = 2;
            continue;
        }
        if (mk_opts_set(o, key, value, where, dir) < 0)
            status = 2;
    }
    if (ferror(f)) {
        mk_error(path, "read failed: %s", strerror(errno));
        status = 1;
    }
    free(line);
    free(dir);
    fclose(f);
    return status;
}

/* Recipe files: "key = value" per line, the keys being the long option
 * names; '#' starts a comment line; blank lines are ignored; a UTF-8
 * byte-order mark at the start is skipped (editors write one). Relative
 * paths in a recipe are relative to the recipe's own folder, so a recipe
 * works from any working directory. */
#include "mk_opts.h"
#include "mk.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = 0;
    return s;
}

/* The recipe as a stream, refused unless it is a regular file: a FIFO
 * would block, a device would be read forever. */
static FILE *open_recipe(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        mk_error(path, "cannot open recipe: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        mk_error(path, "recipe is not a regular file");
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        mk_error(path, "cannot read recipe: %s", strerror(errno));
        close(fd);
    }
    return f;
}

int mk_recipe_load(struct mk_opts *o, const char *path)
{
    FILE *f = open_recipe(path);
    if (!f)
        return 1;
    free(o->recipe);
    o->recipe = mk_strdup(path);
    char *copy = mk_strdup(path);
    char *dir = mk_strdup(dirname(copy));
    free(copy);

    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, status = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        char where[4096];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        if (memchr(line, 0, (size_t)len)) {
            mk_error(where, "a NUL byte in the line");
            status = 2;
            continue;
        }
        char *s = line;
        if (lineno == 1 && !memcmp(s, "\xef\xbb\xbf", 3))
            s += 3;
        s = trim(s);
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

/* Bounded tree walk (see fat_walk.h for the bounds and why). */
#include "fat_walk.h"
#include "mem.h"

#define SEEN_SLOTS (2 * FAT_WALK_MAX_DIRS)

/* Adds c to the set; 1 if it was new, 0 if already there, -1 when full. */
static int seen_add(struct fat_walk *w, uint32_t c)
{
    if (w->nseen >= FAT_WALK_MAX_DIRS)
        return -1;
    uint32_t i = (c * 2654435761u) % SEEN_SLOTS;
    while (w->seen[i]) {
        if (w->seen[i] == c + 1)
            return 0;
        i = (i + 1) % SEEN_SLOTS;
    }
    w->seen[i] = c + 1;             /* 0 marks a free slot */
    w->nseen++;
    return 1;
}

/* path[0..len) + "/" + name, if it fits; returns the new length or 0. */
static uint32_t path_join(struct fat_walk *w, uint32_t len, const char *name)
{
    size_t n = strlen(name);
    if (len + 1 + n + 1 > FAT_WALK_PATH_MAX)
        return 0;
    w->path[len] = '/';
    memcpy(w->path + len + 1, name, n + 1);
    return len + 1 + (uint32_t)n;
}

int fat_walk(struct fat_vol *v, struct fat_walk *w, fat_walk_fn fn, void *ctx)
{
    int first_problem = 0, depth = 0, rc;
#define PROBLEM(err, why)                                                     \
    do {                                                                      \
        if (!first_problem)                                                   \
            first_problem = (err);                                            \
        if ((rc = fn(ctx, FAT_WALK_PROBLEM, w->path, 0, (err), (why))))       \
            return rc;                                                        \
    } while (0)

    const uint32_t cap = fat_dir_cluster_cap(v);
    memset(w->seen, 0, sizeof w->seen);
    w->nseen = 0;
    w->clusters_done = 0;
    w->path[0] = 0;
    w->level[0].cluster = 0;
    w->level[0].path_len = 0;
    fat_dir_start(v, &w->level[0].dir, 0);
    seen_add(w, 0);
    while (depth >= 0) {
        struct fat_walk_level *l = &w->level[depth];
        struct fat_dirent e;
        int lfn_len;
        /* Directories of a sound volume share no cluster, so together
         * they hold at most all of them: more is cross-linking, and this
         * caps the walk's reads at one volume's worth of clusters. */
        uint64_t used = w->clusters_done;
        for (int k = 0; k <= depth; k++)
            used += cap - w->level[k].dir.clusters_left;
        if (used > v->clusters) {
            w->path[l->path_len] = 0;
            PROBLEM(FAT_ECORRUPT, "directories hold more clusters than the volume has (cross-linked)");
            return first_problem;
        }
        rc = fat_dir_next(v, &l->dir, &e, &lfn_len);
        if (rc <= 0) {
            w->path[l->path_len] = 0;
            if (rc < 0)
                PROBLEM(rc, v->corrupt && rc == FAT_ECORRUPT ? v->corrupt : fat_strerror(rc));
            w->clusters_done += cap - l->dir.clusters_left;
            depth--;
            continue;
        }
        char name[FAT_NAME_TEXT_MAX];
        fat_dir_name(&l->dir, &e, lfn_len, name);
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        struct fat_file f;
        fat_dir_file(v, &e, &f);
        uint32_t len = path_join(w, l->path_len, name);
        if (!len) {
            w->path[l->path_len] = 0;
            PROBLEM(FAT_ECORRUPT, "path longer than the walk takes");
            continue;
        }
        if (!(f.attr & FAT_ATTR_DIRECTORY)) {
            if ((rc = fn(ctx, FAT_WALK_FILE, w->path, &f, 0, 0)))
                return rc;
            continue;
        }
        if ((rc = fn(ctx, FAT_WALK_DIR, w->path, &f, 0, 0)))
            return rc;
        uint32_t c = f.first_cluster;
        if (v->type == 32 && c == v->root_cluster)
            c = 0;
        int cycle = 0;
        for (int k = 0; k <= depth; k++)
            cycle |= w->level[k].cluster == c;
        if (cycle) {
            PROBLEM(FAT_ECORRUPT, "directory cycle: it points back at a directory above it");
            continue;
        }
        if (c < 2 || c > v->clusters + 1) {
            PROBLEM(FAT_ECORRUPT, "directory entry points outside the volume");
            continue;
        }
        if (depth == FAT_WALK_MAX_DEPTH) {
            PROBLEM(FAT_ECORRUPT, "directories nested too deep");
            continue;
        }
        int added = seen_add(w, c);
        if (added <= 0) {
            PROBLEM(FAT_ECORRUPT, added ? "more directories than the walk takes"
                                        : "cross-linked directory: another entry has its first cluster");
            continue;
        }
        depth++;
        w->level[depth].cluster = c;
        w->level[depth].path_len = len;
        fat_dir_start(v, &w->level[depth].dir, c);
    }
    return first_problem;
#undef PROBLEM
}

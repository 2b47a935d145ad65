/* A walk over every file and directory of a FAT volume that ends in
 * bounded time on any image: --inspect lists the ESP with it, fatcat
 * (tests) and the fuzz harnesses use it too. No recursion and no
 * allocation: the caller provides struct fat_walk (about 50 KiB; keep it
 * off small stacks).
 *
 * Bounds: directories nest at most FAT_WALK_MAX_DEPTH deep; a directory
 * whose first cluster is already on the current path is a cycle, one seen
 * elsewhere in the tree is cross-linked: both are reported and not
 * entered, so each directory is read at most once (and at most 65536
 * entries of it, fat_dir_cluster_cap); at most FAT_WALK_MAX_DIRS
 * directories are entered in all, and all of them together may occupy no
 * more clusters than the volume has (directories share no cluster on a
 * sound volume). The walk therefore reads at most one volume's worth of
 * directory clusters, whatever the image. */
#ifndef HYBOOT_FAT_WALK_H
#define HYBOOT_FAT_WALK_H

#include "fat.h"

#define FAT_WALK_MAX_DEPTH 32
#define FAT_WALK_MAX_DIRS  4096
#define FAT_WALK_PATH_MAX  1024

enum fat_walk_what {
    FAT_WALK_FILE,      /* a file: path, f */
    FAT_WALK_DIR,       /* a directory, before its entries: path, f */
    FAT_WALK_PROBLEM,   /* path could not be walked: err (FAT_E*) and why */
};

/* Returns 0 to go on, anything else to stop the walk with that value. */
typedef int (*fat_walk_fn)(void *ctx, enum fat_walk_what what, const char *path,
                           const struct fat_file *f, int err, const char *why);

struct fat_walk {
    struct fat_walk_level {
        struct fat_dir dir;
        uint32_t cluster;       /* first cluster of this directory (0: root) */
        uint32_t path_len;      /* bytes of path[] that name it */
    } level[FAT_WALK_MAX_DEPTH + 1];
    uint32_t seen[2 * FAT_WALK_MAX_DIRS];   /* open-addressed set of first clusters */
    uint32_t nseen;
    uint64_t clusters_done;     /* directory clusters of finished directories */
    char     path[FAT_WALK_PATH_MAX];
};

/* Walks the whole volume from the root, depth first, in directory order.
 * Returns 0 when everything was walked, the first FAT_E* problem seen
 * (after reporting it and walking the rest), or what fn stopped with. */
int fat_walk(struct fat_vol *v, struct fat_walk *w, fat_walk_fn fn, void *ctx);

#endif

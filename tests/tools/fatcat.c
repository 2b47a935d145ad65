/* fatcat: reads a FAT volume inside an image file through common/fat.c,
 * so tests can compare what our driver sees with what mtools wrote.
 *
 *   fatcat [-o OFFSET] [-r MAX_RUN] [-s] IMAGE info
 *   fatcat ... IMAGE ls   [DIR]     one line per entry: "d|f SIZE NAME"
 *   fatcat ... IMAGE find [DIR]     every file below DIR: "SIZE /full/path"
 *   fatcat ... IMAGE cat  PATH      the file's bytes on stdout
 *
 * -o  byte offset of the volume in the image (a multiple of 512)
 * -r  max_run passed to fat_read_file (sectors per read call, 0 = no cap)
 * -s  print "reads=N sectors=M data_reads=K" to stderr: the read calls the
 *     driver made, and how many of them were in the data area (directory
 *     sectors of subdirectories count there too), and how many data-area
 *     calls fat_read_file made for `cat` (one per contiguous run, plus one
 *     for a partial last sector)
 * Exit status: 0 ok, 1 a FAT error (message on stderr), 2 usage. */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fat.h"

struct image {
    int fd;
    unsigned long reads, sectors;
    uint64_t data_lba;            /* absolute; reads from here on are file data */
    unsigned long data_reads;
};

static int image_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    struct image *im = ctx;
    im->reads++;
    im->sectors += count;
    if (im->data_lba && lba >= im->data_lba)
        im->data_reads++;
    size_t want = (size_t)count * 512;
    ssize_t got = pread(im->fd, buf, want, (off_t)(lba * 512));
    if (got < 0)
        return errno ? errno : EIO;
    if ((size_t)got != want)
        return 1000;              /* short read: past the end of the image */
    return 0;
}

/* For -s: data-area read calls made by fat_read_file alone. */
static struct image *the_image;
static unsigned long file_reads;

static void report(const struct fat_vol *v, const char *what, int rc)
{
    fprintf(stderr, "fatcat: %s: %s\n", what, fat_strerror(rc));
    if (rc == FAT_EIO)
        fprintf(stderr, "fatcat: read error %d at LBA %llu\n", v->last_error,
                (unsigned long long)v->last_error_lba);
}

static int ls_cb(void *ctx, const char *name, const struct fat_file *f)
{
    (void)ctx;
    printf("%c %u %s\n", (f->attr & FAT_ATTR_DIRECTORY) ? 'd' : 'f', f->size, name);
    return 0;
}

/* find: collect a directory's names first, then recurse (host only). */
struct names {
    char (*name)[FAT_NAME_MAX + 1];
    struct fat_file *file;
    size_t n, cap;
};

static int collect_cb(void *ctx, const char *name, const struct fat_file *f)
{
    struct names *ns = ctx;
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 16;
        ns->name = realloc(ns->name, ns->cap * sizeof *ns->name);
        ns->file = realloc(ns->file, ns->cap * sizeof *ns->file);
        if (!ns->name || !ns->file) {
            perror("fatcat");
            exit(1);
        }
    }
    snprintf(ns->name[ns->n], sizeof ns->name[ns->n], "%s", name);
    ns->file[ns->n++] = *f;
    return 0;
}

static int find(struct fat_vol *v, const char *dir, int depth)
{
    if (depth > 32) {
        fprintf(stderr, "fatcat: %s: directories nested too deep (a loop?)\n", dir);
        return 1;
    }
    struct names ns = { 0 };
    int rc = fat_list(v, dir, collect_cb, &ns);
    if (rc) {
        report(v, dir, rc);
        return 1;
    }
    int status = 0;
    for (size_t i = 0; i < ns.n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", ns.name[i]);
        if (ns.file[i].attr & FAT_ATTR_DIRECTORY)
            status |= find(v, path, depth + 1);
        else
            printf("%u %s\n", ns.file[i].size, path);
    }
    free(ns.name);
    free(ns.file);
    return status;
}

static int cat(struct fat_vol *v, const char *path, uint32_t max_run)
{
    struct fat_file f;
    int rc = fat_open(v, path, &f);
    if (rc == FAT_OK && (f.attr & FAT_ATTR_DIRECTORY))
        rc = FAT_EISDIR;
    if (rc) {
        report(v, path, rc);
        return 1;
    }
    unsigned char *buf = malloc(f.size ? f.size : 1);
    if (!buf) {
        perror("fatcat");
        return 1;
    }
    unsigned long before = the_image->data_reads;
    rc = fat_read_file(v, &f, buf, f.size, max_run);
    file_reads = the_image->data_reads - before;
    if (rc) {
        report(v, path, rc);
        free(buf);
        return 1;
    }
    fwrite(buf, 1, f.size, stdout);
    free(buf);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: fatcat [-o OFFSET] [-r MAX_RUN] [-s] IMAGE info|ls [DIR]|find [DIR]|cat PATH\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned long long offset = 0;
    unsigned long max_run = 0;
    int stats = 0, opt;
    while ((opt = getopt(argc, argv, "o:r:s")) != -1) {
        switch (opt) {
        case 'o': offset = strtoull(optarg, NULL, 0); break;
        case 'r': max_run = strtoul(optarg, NULL, 0); break;
        case 's': stats = 1; break;
        default: usage();
        }
    }
    if (argc - optind < 2 || offset % 512)
        usage();
    const char *image = argv[optind], *cmd = argv[optind + 1];
    const char *arg = argc - optind > 2 ? argv[optind + 2] : "/";

    struct image im = { .fd = open(image, O_RDONLY) };
    if (im.fd < 0) {
        fprintf(stderr, "fatcat: %s: %s\n", image, strerror(errno));
        return 1;
    }
    static struct fat_vol vol;
    int rc = fat_mount(&vol, image_read, &im, offset / 512);
    if (rc) {
        report(&vol, image, rc);
        return 1;
    }
    im.data_lba = vol.part_lba + vol.data_lba;
    the_image = &im;

    int status;
    if (!strcmp(cmd, "info")) {
        printf("type=FAT%d clusters=%u sectors_per_cluster=%u fat_sectors=%u root_sectors=%u "
               "data_lba=%u total_sectors=%llu\n",
               vol.type, vol.clusters, vol.sectors_per_cluster, vol.fat_sectors, vol.root_sectors,
               vol.data_lba, (unsigned long long)vol.total_sectors);
        status = 0;
    } else if (!strcmp(cmd, "ls")) {
        rc = fat_list(&vol, arg, ls_cb, NULL);
        if (rc)
            report(&vol, arg, rc);
        status = rc ? 1 : 0;
    } else if (!strcmp(cmd, "find")) {
        status = find(&vol, arg, 0);
    } else if (!strcmp(cmd, "cat") && argc - optind == 3) {
        status = cat(&vol, arg, (uint32_t)max_run);
    } else {
        usage();
    }
    if (stats)
        fprintf(stderr, "reads=%lu sectors=%lu data_reads=%lu file_reads=%lu\n", im.reads, im.sectors,
                im.data_reads, file_reads);
    close(im.fd);
    return status;
}

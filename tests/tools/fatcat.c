/* fatcat: reads a FAT volume inside an image file through common/fat.c,
 * so tests can compare what our driver sees with what mtools wrote.
 *
 *   fatcat [-o OFFSET] [-r MAX_RUN] [-s] IMAGE info
 *   fatcat ... IMAGE ls   [DIR]     one line per entry: "d|f SIZE NAME"
 *   fatcat ... IMAGE find [DIR]     every file below DIR: "SIZE /full/path"
 *                                   (the bounded walk: a cycle is an error)
 *   fatcat ... IMAGE cat  PATH      the file's bytes on stdout
 *
 * -o  byte offset of the volume in the image (a multiple of the sector)
 * -S  device sector size (512 or 4096; default 512)
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
#include "fat_walk.h"

struct image {
    int fd;
    unsigned long reads, sectors;
    uint64_t data_lba;            /* absolute; reads from here on are file data */
    unsigned long data_reads;
    uint32_t sector;              /* device sector size */
};

static int image_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    struct image *im = ctx;
    im->reads++;
    im->sectors += count;
    if (im->data_lba && lba >= im->data_lba)
        im->data_reads++;
    size_t want = (size_t)count * im->sector;
    ssize_t got = pread(im->fd, buf, want, (off_t)(lba * im->sector));
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
    fprintf(stderr, "fatcat: %s: %s%s%s\n", what, fat_strerror(rc), rc == FAT_ECORRUPT && v->corrupt ? ": " : "",
            rc == FAT_ECORRUPT && v->corrupt ? v->corrupt : "");
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

/* find: the bounded walk of common/fat_walk.c, filtered to DIR. */
struct find_ctx { const char *dir; size_t dlen; int problems; };

static int find_cb(void *ctx, enum fat_walk_what what, const char *path, const struct fat_file *f,
                   int err, const char *why)
{
    struct find_ctx *fc = ctx;
    const char *shown = *path ? path : "/";
    if (what == FAT_WALK_PROBLEM) {
        fprintf(stderr, "fatcat: %s: %s: %s\n", shown, fat_strerror(err), why);
        fc->problems++;
    } else if (what == FAT_WALK_FILE && strncmp(path, fc->dir, fc->dlen) == 0 &&
               (path[fc->dlen] == '/' || fc->dlen == 0)) {
        printf("%u %s\n", f->size, path);
    }
    return 0;
}

static int find(struct fat_vol *v, const char *dir)
{
    static struct fat_walk w;
    struct find_ctx fc = { dir, strlen(dir), 0 };
    while (fc.dlen && dir[fc.dlen - 1] == '/')
        fc.dlen--;
    fat_walk(v, &w, find_cb, &fc);
    return fc.problems ? 1 : 0;
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
    fprintf(stderr, "usage: fatcat [-o OFFSET] [-r MAX_RUN] [-s] [-S SECTOR] IMAGE info|ls [DIR]|find [DIR]|cat PATH\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned long long offset = 0;
    unsigned long max_run = 0;
    int stats = 0, opt;
    unsigned long dev_sector = 512;
    while ((opt = getopt(argc, argv, "o:r:sS:")) != -1) {
        switch (opt) {
        case 'o': offset = strtoull(optarg, NULL, 0); break;
        case 'r': max_run = strtoul(optarg, NULL, 0); break;
        case 's': stats = 1; break;
        case 'S': dev_sector = strtoul(optarg, NULL, 0); break;
        default: usage();
        }
    }
    if (argc - optind < 2 || !dev_sector || offset % dev_sector)
        usage();
    const char *image = argv[optind], *cmd = argv[optind + 1];
    const char *arg = argc - optind > 2 ? argv[optind + 2] : "/";

    struct image im = { .fd = open(image, O_RDONLY), .sector = (uint32_t)dev_sector };
    if (im.fd < 0) {
        fprintf(stderr, "fatcat: %s: %s\n", image, strerror(errno));
        return 1;
    }
    static struct fat_vol vol;
    int rc = fat_mount_dev(&vol, image_read, &im, offset / dev_sector, (uint32_t)dev_sector);
    if (rc) {
        report(&vol, image, rc);
        return 1;
    }
    im.data_lba = vol.part_lba + (uint64_t)vol.data_lba * (vol.bytes_per_sector / vol.dev_sector);
    the_image = &im;

    int status;
    if (!strcmp(cmd, "info")) {
        printf("type=FAT%d clusters=%u sectors_per_cluster=%u fat_sectors=%u root_sectors=%u "
               "data_lba=%u total_sectors=%llu bytes_per_sector=%u\n",
               vol.type, vol.clusters, vol.sectors_per_cluster, vol.fat_sectors, vol.root_sectors,
               vol.data_lba, (unsigned long long)vol.total_sectors, vol.bytes_per_sector);
        status = 0;
    } else if (!strcmp(cmd, "ls")) {
        rc = fat_list(&vol, arg, ls_cb, NULL);
        if (rc)
            report(&vol, arg, rc);
        status = rc ? 1 : 0;
    } else if (!strcmp(cmd, "find")) {
        status = find(&vol, arg);
    } else if (!strcmp(cmd, "cat") && argc - optind == 3) {
        status = cat(&vol, arg, (uint32_t)max_run);
    } else {
        usage();
    }
    if (vol.fallbacks)
        fprintf(stderr, "fatcat: %u FAT entries read from a second FAT copy\n", vol.fallbacks);
    if (stats)
        fprintf(stderr, "reads=%lu sectors=%lu data_reads=%lu file_reads=%lu\n", im.reads, im.sectors,
                im.data_reads, file_reads);
    close(im.fd);
    return status;
}

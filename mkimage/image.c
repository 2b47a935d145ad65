/* Writing the image: sparse (only chunks, and within them only non-zero
 * 4 KiB blocks or the data extents of an input file, are written;
 * ftruncate gives the size), into a temporary
 * file next to the output which is renamed over it at the end. Any
 * failure, or a signal, removes the temporary file and leaves an
 * existing output as it was. */
#define _GNU_SOURCE   /* renameat2, copy_file_range, SEEK_DATA */
#include "mk_image.h"
#include "mk.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define BLOCK 4096u

static struct mk_chunk *new_chunk(struct mk_image *img, uint64_t off, uint64_t len)
{
    if (img->n == img->cap) {
        img->cap = img->cap ? img->cap * 2 : 16;
        img->chunk = mk_realloc(img->chunk, img->cap * sizeof *img->chunk);
    }
    struct mk_chunk *c = &img->chunk[img->n++];
    memset(c, 0, sizeof *c);
    c->off = off;
    c->len = len;
    c->fd = -1;
    return c;
}

uint8_t *mk_image_chunk(struct mk_image *img, uint64_t off, uint64_t len)
{
    struct mk_chunk *c = new_chunk(img, off, len);
    c->data = mk_zalloc((size_t)len);
    c->owned = 1;
    return c->data;
}

void mk_image_ref(struct mk_image *img, uint64_t off, const uint8_t *data, uint64_t len)
{
    struct mk_chunk *c = new_chunk(img, off, len);
    c->data = (uint8_t *)data;   /* only ever read */
    c->owned = 0;
}

void mk_image_file(struct mk_image *img, uint64_t off, int fd, uint64_t len)
{
    new_chunk(img, off, len)->fd = fd;
}

void mk_image_free(struct mk_image *img)
{
    for (size_t i = 0; i < img->n; i++)
        if (img->chunk[i].owned)
            free(img->chunk[i].data);
    free(img->chunk);
    img->chunk = NULL;
    img->n = img->cap = 0;
}

/* ---- the temporary file, removed on every way out --------------------- */

static char temp_path[PATH_MAX + 16];
static volatile sig_atomic_t temp_live;

static void remove_temp(void)
{
    if (temp_live) {
        unlink(temp_path);
        temp_live = 0;
    }
}

static void on_signal(int sig)
{
    if (temp_live)
        unlink(temp_path);   /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void guard_temp(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    atexit(remove_temp);
    int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], on_signal);
    /* Past a file-size limit (ulimit -f) write() should fail with EFBIG
     * and be reported, not kill us with the temp file left behind. */
    signal(SIGXFSZ, SIG_IGN);
}

/* ---- checks on the output path ----------------------------------------- */

/* Calls match(source, mount point, ctx) for each line of the mount table
 * until it returns non-zero; returns that result, or 0. */
static int mounts_any(int (*match)(const char *src, const char *dir, const void *ctx), const void *ctx)
{
    FILE *f = fopen("/proc/self/mounts", "re");
    if (!f)
        return 0;
    char line[4096], src[2048], dir[2048];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        if (sscanf(line, "%2047s %2047s", src, dir) == 2)
            found = match(src, dir, ctx);
    fclose(f);
    return found;
}

/* Is the mount source `src` the block device *dev, or a partition of it?
 * A partition's parent disk is found through /sys. */
static int source_is_device(const char *src, const char *dir, const void *ctx)
{
    (void)dir;
    dev_t dev = *(const dev_t *)ctx;
    struct stat st;
    if (src[0] != '/' || stat(src, &st) != 0 || !S_ISBLK(st.st_mode))
        return 0;
    if (st.st_rdev == dev)
        return 1;
    /* /sys/dev/block/MAJ:MIN/../dev is the whole disk of a partition. */
    char sys[128], buf[64];
    snprintf(sys, sizeof sys, "/sys/dev/block/%u:%u/../dev", major(st.st_rdev), minor(st.st_rdev));
    FILE *d = fopen(sys, "re");
    int found = 0;
    if (d) {
        unsigned ma, mi;
        found = fgets(buf, sizeof buf, d) && sscanf(buf, "%u:%u", &ma, &mi) == 2 && makedev(ma, mi) == dev;
        fclose(d);
    }
    return found;
}

static int dir_is(const char *src, const char *dir, const void *ctx)
{
    (void)src;
    return strcmp(dir, (const char *)ctx) == 0;
}

/* Is `dev` (a block device) or a partition of it mounted? */
static int device_mounted(dev_t dev)
{
    return mounts_any(source_is_device, &dev);
}

/* Is `path` itself a mount point (a bind-mounted file, say)? */
static int path_is_mountpoint(const char *path)
{
    char real[PATH_MAX];
    return realpath(path, real) && mounts_any(dir_is, real);
}

int mk_output_check(const char *path, const struct mk_write_opts *o)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            mk_error(path, "is a directory; give the image file's name");
            return -1;
        }
        if (S_ISBLK(st.st_mode)) {
            if (!o->force_device) {
                mk_error(path, "is a block device: writing to a device needs --force-device; "
                               "for a USB stick use --write-device %s (checked, verified)", path);
                return -1;
            }
            if (device_mounted(st.st_rdev)) {
                mk_error(path, "is mounted (or one of its partitions is): unmount it first");
                return -1;
            }
            return 0;
        }
        if (!S_ISREG(st.st_mode)) {
            mk_error(path, "exists and is not a regular file");
            return -1;
        }
        if (path_is_mountpoint(path) && !o->force_device) {
            mk_error(path, "is a mount point: refusing to replace it without --force-device");
            return -1;
        }
    } else if (errno != ENOENT) {
        mk_error(path, "cannot stat: %s", strerror(errno));
        return -1;
    }
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    const char *dir = dirname(copy);
    if (stat(dir, &st) != 0) {
        mk_error(path, "folder %s does not exist", dir);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        mk_error(path, "%s is not a folder", dir);
        return -1;
    }
    return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int cmp_chunk(const void *a, const void *b)
{
    const struct mk_chunk *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

static int zero_block(const uint8_t *p, size_t n)
{
    /* Word-wise: this runs over every byte of file data. */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w)
            return 0;
    }
    for (; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static int pwrite_all(int fd, const uint8_t *p, uint64_t len, uint64_t off)
{
    while (len) {
        size_t n = len > (1u << 30) ? (1u << 30) : (size_t)len;
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        off += (uint64_t)w;
        len -= (uint64_t)w;
    }
    return 0;
}

/* Copies len bytes of `in` (from its offset 0) to `out` at byte offset
 * `at`. With skip_holes, only the input's data extents are copied (the
 * output is sparse, its holes read as zero); without, every byte is
 * written (a device has no holes). The kernel copies file to file where
 * it can (copy_file_range), else the bytes go through a buffer. */
static int copy_file(int out, uint64_t at, int in, uint64_t len, int skip_holes)
{
    uint64_t pos = 0;
    int kernel_copy = 1;
    while (pos < len) {
        uint64_t end = len;
        if (skip_holes) {
            off_t d = lseek(in, (off_t)pos, SEEK_DATA);
            if (d < 0 && errno == ENXIO)
                return 0;               /* nothing but a hole up to the end */
            if (d >= 0) {
                pos = (uint64_t)d;
                off_t h = lseek(in, d, SEEK_HOLE);
                if (h > d && (uint64_t)h < len)
                    end = (uint64_t)h;
            }
            if (pos >= len)
                return 0;
        }
        while (pos < end) {
            if (kernel_copy) {
                loff_t ioff = (loff_t)pos, ooff = (loff_t)(at + pos);
                ssize_t n = copy_file_range(in, &ioff, out, &ooff, (size_t)(end - pos), 0);
                if (n > 0) {
                    pos += (uint64_t)n;
                    continue;
                }
                if (n == 0) {
                    errno = EIO;         /* the input shrank under us */
                    return -1;
                }
                if (errno == EINTR)
                    continue;
                if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
                    return -1;
                kernel_copy = 0;         /* not between these two: copy by hand */
            }
            static uint8_t buf[1 << 20];
            size_t want = end - pos < sizeof buf ? (size_t)(end - pos) : sizeof buf;
            ssize_t n;
            do
                n = pread(in, buf, want, (off_t)pos);
            while (n < 0 && errno == EINTR);
            if (n == 0)
                errno = EIO;             /* the input shrank under us */
            if (n <= 0 || pwrite_all(out, buf, (uint64_t)n, at + pos) < 0)
                return -1;
            pos += (uint64_t)n;
        }
    }
    return 0;
}

/* Writes the non-zero runs of one chunk (BLOCK-aligned in the image). */
static int write_chunk(int fd, const struct mk_chunk *c)
{
    if (c->fd >= 0)
        return copy_file(fd, c->off, c->fd, c->len, 1);
    uint64_t pos = 0;
    while (pos < c->len) {
        /* Skip zero blocks, then gather the following non-zero ones. */
        uint64_t blk = BLOCK - (c->off + pos) % BLOCK;
        if (blk > c->len - pos)
            blk = c->len - pos;
        if (zero_block(c->data + pos, (size_t)blk)) {
            pos += blk;
            continue;
        }
        uint64_t start = pos;
        pos += blk;
        while (pos < c->len) {
            uint64_t b = c->len - pos < BLOCK ? c->len - pos : BLOCK;
            if (zero_block(c->data + pos, (size_t)b))
                break;
            pos += b;
        }
        if (pwrite_all(fd, c->data + start, pos - start, c->off + start) < 0)
            return -1;
    }
    return 0;
}

static int sort_and_check(const struct mk_image *img, struct mk_chunk **out)
{
    struct mk_chunk *s = mk_zalloc(img->n * sizeof *s + 1);
    memcpy(s, img->chunk, img->n * sizeof *s);
    qsort(s, img->n, sizeof *s, cmp_chunk);
    for (size_t i = 0; i < img->n; i++) {
        if (s[i].off + s[i].len > img->size || (i && s[i - 1].off + s[i - 1].len > s[i].off)) {
            free(s);
            return -1;   /* a bug in the layout, not a user error */
        }
    }
    *out = s;
    return 0;
}

/* A block device gets every byte: stale data between our chunks (old
 * FATs, an old backup GPT) would otherwise show through. The old backup
 * GPT at the end of a bigger device is wiped too. */
static int write_device(const struct mk_image *img, const struct mk_chunk *s, const char *path)
{
    int fd = open(path, O_WRONLY | O_EXCL | O_CLOEXEC);
    if (fd < 0) {
        mk_error(path, "cannot open device: %s", strerror(errno));
        return -1;
    }
    off_t dev_size = lseek(fd, 0, SEEK_END);
    if (dev_size < 0 || (uint64_t)dev_size < img->size) {
        char a[32], b[32];
        mk_format_size(img->size, a, sizeof a);
        mk_format_size(dev_size < 0 ? 0 : (uint64_t)dev_size, b, sizeof b);
        mk_error(path, "device holds %s, the image needs %s", b, a);
        close(fd);
        return -1;
    }
    static uint8_t zeros[1 << 20];
    uint64_t pos = 0;
    for (size_t i = 0; i <= img->n; i++) {
        uint64_t until = i < img->n ? s[i].off : img->size;
        while (pos < until) {
            uint64_t n = until - pos > sizeof zeros ? sizeof zeros : until - pos;
            if (pwrite_all(fd, zeros, n, pos) < 0)
                goto fail;
            pos += n;
        }
        if (i < img->n) {
            if (s[i].fd >= 0 ? copy_file(fd, s[i].off, s[i].fd, s[i].len, 0) < 0
                             : pwrite_all(fd, s[i].data, s[i].len, s[i].off) < 0)
                goto fail;
            pos = s[i].off + s[i].len;
        }
    }
    /* An old backup GPT: 33 sectors of 512 bytes, or 5 of 4096 (20 KiB,
     * the larger) on a 4Kn disk. */
    const uint64_t old_gpt = 5 * 4096;
    if ((uint64_t)dev_size > img->size + old_gpt &&
        pwrite_all(fd, zeros, old_gpt, (uint64_t)dev_size - old_gpt) < 0)
        goto fail;
    if (fsync(fd) < 0)
        goto fail;
    if (close(fd) < 0) {
        mk_error(path, "write failed: %s", strerror(errno));
        return -1;
    }
    return 0;
fail:
    mk_error(path, "write failed: %s", strerror(errno));
    close(fd);
    return -1;
}

/* Puts the temporary file in place of `path`, atomically. Replacing an
 * existing file by rename() makes ext4 flush the new file first
 * (auto_da_alloc), several milliseconds; exchanging the two names and then
 * unlinking the old file is just as atomic -- `path` is always either the
 * old or the new image -- and does not. Plain rename() where exchange is
 * not supported or there is nothing to replace. */
static int replace_atomically(const char *path)
{
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, temp_path, AT_FDCWD, path, RENAME_EXCHANGE) == 0) {
        /* temp_path now names the old image. */
        if (unlink(temp_path) < 0)
            mk_warn(temp_path, "the previous image stayed here: %s", strerror(errno));
        return 0;
    }
#endif
    return rename(temp_path, path);
}

int mk_image_write(const struct mk_image *img, const char *path, const struct mk_write_opts *o)
{
    if (mk_output_check(path, o) < 0)
        return -1;
    struct mk_chunk *s;
    if (sort_and_check(img, &s) < 0) {
        mk_error(path, "internal error: image regions overlap");
        return -1;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
        /* A device is written in one pass, in order: the hook runs first. */
        if (o->before_memory_chunks && o->before_memory_chunks(o->ctx) != 0) {
            free(s);
            return -1;
        }
        int r = write_device(img, s, path);
        free(s);
        return r;
    }

    guard_temp();
    if ((size_t)snprintf(temp_path, sizeof temp_path, "%s.tmpXXXXXX", path) >= sizeof temp_path) {
        mk_error(path, "path too long");
        free(s);
        return -1;
    }
    int fd = mkstemp(temp_path);
    if (fd < 0) {
        mk_error(path, "cannot create a temporary file next to it: %s", strerror(errno));
        free(s);
        return -1;
    }
    temp_live = 1;
    /* mkstemp makes the file 0600; an image is an ordinary file. */
    mode_t mask = umask(0);
    umask(mask);
    const char *what = "write failed";
    if (fchmod(fd, 0666 & ~mask) < 0)
        goto fail;
    what = "cannot set the image size";
    if (ftruncate(fd, (off_t)img->size) < 0)
        goto fail;
    what = "write failed";
    for (size_t i = 0; i < img->n; i++)
        if (s[i].fd >= 0 && write_chunk(fd, &s[i]) < 0)
            goto fail;
    if (o->before_memory_chunks && o->before_memory_chunks(o->ctx) != 0) {
        close(fd);
        remove_temp();
        free(s);
        return -1;              /* the hook said why */
    }
    for (size_t i = 0; i < img->n; i++)
        if (s[i].fd < 0 && write_chunk(fd, &s[i]) < 0)
            goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    what = "cannot rename the temporary file into place";
    if (replace_atomically(path) < 0)
        goto fail;
    temp_live = 0;
    free(s);
    return 0;
fail:
    mk_error(path, "%s: %s", what, strerror(errno));
    if (fd >= 0)
        close(fd);
    remove_temp();
    free(s);
    return -1;
}

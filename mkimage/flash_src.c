/* The image --write-device writes, from a file or from memory. Both give
 * bytes at an offset and say where the image's data ends; the file does
 * that from its allocation (SEEK_DATA/SEEK_HOLE), the in-memory image from
 * its chunks, which are exactly the allocated part of the file it would
 * have been written to. */
#define _GNU_SOURCE   /* SEEK_DATA, SEEK_HOLE */
#include "mk_flash.h"
#include "mk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fl_src_open_file(struct fl_src *s, const char *path)
{
    memset(s, 0, sizeof *s);
    s->name = path;
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        mk_error(path, "cannot open the image: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    if (fstat(s->fd, &st) < 0)
        why = strerror(errno);
    else if (S_ISBLK(st.st_mode))
        why = "is a block device: the image must be a file (mkimage --write-device DEVICE IMAGE)";
    else if (!S_ISREG(st.st_mode))
        why = "is not a regular file: the image must be a file";
    else if (st.st_size < 512 || st.st_size % 512)
        why = "is not a whole number of 512-byte sectors: not a disk image";
    if (why) {
        mk_error(path, "%s", why);
        close(s->fd);
        s->fd = -1;
        return -1;
    }
    s->size = (uint64_t)st.st_size;
    return 0;
}

static int cmp_chunk(const void *a, const void *b)
{
    const struct mk_chunk *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

void fl_src_from_image(struct fl_src *s, const struct mk_image *img, const char *name)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->fd = -1;
    s->size = img->size;
    s->nchunks = img->n;
    s->chunk = mk_zalloc(img->n * sizeof *s->chunk + 1);
    memcpy(s->chunk, img->chunk, img->n * sizeof *s->chunk);
    qsort(s->chunk, s->nchunks, sizeof *s->chunk, cmp_chunk);
}

void fl_src_close(struct fl_src *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    free(s->chunk);
    s->chunk = NULL;
}

int fl_src_read(const struct fl_src *s, uint64_t off, uint8_t *buf, size_t len)
{
    memset(buf, 0, len);
    if (off >= s->size)
        return 0;
    if (len > s->size - off)
        len = (size_t)(s->size - off);
    if (s->fd < 0) {
        for (size_t i = 0; i < s->nchunks; i++) {
            const struct mk_chunk *c = &s->chunk[i];
            if (c->off >= off + len)
                break;
            if (c->off + c->len <= off)
                continue;
            uint64_t a = c->off > off ? c->off : off;
            uint64_t b = c->off + c->len < off + len ? c->off + c->len : off + len;
            if (c->data) {
                memcpy(buf + (a - off), c->data + (a - c->off), (size_t)(b - a));
                continue;
            }
            /* an input file's bytes, not in memory (mk_image_file) */
            for (uint64_t got = 0; got < b - a;) {
                ssize_t r = pread(c->fd, buf + (a - off) + got, (size_t)(b - a - got),
                                  (off_t)(a - c->off + got));
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0)
                    return -1;
                got += (uint64_t)r;
            }
        }
        return 0;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(s->fd, buf + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;        /* the file shrank: the rest reads as zeros */
        done += (size_t)r;
    }
    return 0;
}

/* Appends [a, b) to the list, merging with the last range when they touch. */
static void push(struct fl_range **r, size_t *n, uint64_t a, uint64_t b)
{
    if (a >= b)
        return;
    if (*n && (*r)[*n - 1].end >= a) {
        if (b > (*r)[*n - 1].end)
            (*r)[*n - 1].end = b;
        return;
    }
    *r = mk_realloc(*r, (*n + 1) * sizeof **r);
    (*r)[(*n)++] = (struct fl_range){ a, b };
}

size_t fl_src_ranges(const struct fl_src *s, uint64_t limit, struct fl_range **out)
{
    struct fl_range *r = NULL;
    size_t n = 0;
    if (limit > s->size)
        limit = s->size;
    if (s->fd < 0) {
        for (size_t i = 0; i < s->nchunks; i++) {
            const struct mk_chunk *c = &s->chunk[i];
            push(&r, &n, c->off, c->off + c->len < limit ? c->off + c->len : limit);
        }
        *out = r;
        return n;
    }
    off_t pos = 0;
    while ((uint64_t)pos < limit) {
        off_t d = lseek(s->fd, pos, SEEK_DATA);
        if (d < 0 && errno == ENXIO)
            break;                                  /* no data after pos */
        off_t h = d < 0 ? -1 : lseek(s->fd, d, SEEK_HOLE);
        if (h < 0) {
            /* The file system cannot say: all the rest counts as data. */
            push(&r, &n, (uint64_t)pos, limit);
            break;
        }
        if ((uint64_t)d >= limit)
            break;
        push(&r, &n, (uint64_t)d, (uint64_t)h < limit ? (uint64_t)h : limit);
        pos = h;
    }
    *out = r;
    return n;
}

/* The image in memory: only the regions that hold data (metadata and
 * file contents, typically about a megabyte), each at its byte offset.
 * Everything between them is zero and never written: the output is a
 * sparse file of the full size. */
#ifndef HYBOOT_MK_IMAGE_H
#define HYBOOT_MK_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct mk_chunk {
    uint64_t off;
    uint64_t len;
    uint8_t *data;              /* NULL for a chunk that comes from fd */
    int      owned;             /* data allocated by mk_image_chunk */
    int      fd;                /* >= 0: the first len bytes of this file */
};

struct mk_image {
    uint64_t size;              /* bytes */
    struct mk_chunk *chunk;
    size_t n, cap;
};

/* A zeroed buffer of len bytes that will land at byte offset off. Chunks
 * must not overlap (mk_image_write checks). */
uint8_t *mk_image_chunk(struct mk_image *img, uint64_t off, uint64_t len);
/* Places len bytes of data (not copied: it must outlive the image) at
 * byte offset off: file contents go straight from the input buffer. */
void mk_image_ref(struct mk_image *img, uint64_t off, const uint8_t *data, uint64_t len);
/* Places the first len bytes of the open file fd at byte offset off: they
 * are copied file to file by the kernel when the image is written
 * (copy_file_range; holes in the input stay holes in a sparse output). */
void mk_image_file(struct mk_image *img, uint64_t off, int fd, uint64_t len);
void mk_image_free(struct mk_image *img);

struct mk_write_opts {
    int force_device;           /* allow writing to a block device */
    /* Called after the input files' chunks are written and before the
     * chunks in memory are: the last moment to fill those in (boot.cfg
     * waits here for the modules' hashes). Non-zero fails the write. */
    int (*before_memory_chunks)(void *ctx);
    void *ctx;
};

/* Writes the image to `path`: a temporary file next to it, then rename();
 * input-file chunks first (the kernel copies them while other threads
 * may still be hashing), then the chunks in memory.
 * On any failure the temporary file is removed, an existing `path` is
 * untouched, an error naming `path` is printed and -1 returned. */
int mk_image_write(const struct mk_image *img, const char *path, const struct mk_write_opts *o);

/* Checks, without writing, that `path` is somewhere mkimage may write
 * (an existing folder; not a directory, a device or mounted unless
 * allowed). Prints the error and returns -1 otherwise. */
int mk_output_check(const char *path, const struct mk_write_opts *o);

#endif

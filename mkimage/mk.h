/* Small helpers every part of mkimage uses: error reporting in the one
 * format the tool promises, checked allocation, input files, sizes. */
#ifndef HYBOOT_MK_H
#define HYBOOT_MK_H

#include <stddef.h>
#include <stdint.h>

#define MK_NAME    "mkimage"
#define MK_VERSION "0.1"

/* Exit statuses. */
#define MK_EXIT_OK    0
#define MK_EXIT_FAIL  1
#define MK_EXIT_USAGE 2

#define SECTOR 512u

/* "mkimage: error: <input>: <reason>" on stderr. */
void mk_error(const char *input, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "mkimage: warning: <input>: <reason>" on stderr. */
void mk_warn(const char *input, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that cannot fail: out of memory ends the program (status 1;
 * atexit handlers remove any temporary file). Memory is zeroed. */
void *mk_zalloc(size_t n);
void *mk_realloc(void *p, size_t n);
char *mk_strdup(const char *s);

/* An input file: open, mapped read-only (data is NULL for an empty file),
 * never copied. File contents go into the image straight from fd
 * (copy_file_range), so a big input costs neither memory nor a copy
 * through user space. */
struct mk_blob {
    const char *path;           /* NULL: not given */
    int      fd;
    uint8_t *data;
    uint64_t size;
    int      owned;             /* data is malloc'd (a signed loader), fd is -1 */
};

/* Opens a regular file of at most max_size bytes (FIFOs, devices and
 * directories are refused before anything is read, so none can block);
 * on failure prints the error naming `path` and returns -1. */
int mk_blob_open(const char *path, uint64_t max_size, struct mk_blob *out);
void mk_blob_free(struct mk_blob *b);
/* The largest input file: FAT stores sizes in 32 bits. */
#define MK_FILE_MAX 0xffffffffULL

/* SHA-256 of bulk input, with the CPU's SHA instructions when it has them
 * (sha256_fast.c); the same digest as common/sha256.c. */
void mk_sha256(const void *data, uint64_t len, uint8_t out[32]);

/* Parses "64M", "2G", "3T", "512K", "1048576" (bytes); suffixes are
 * binary (K = 1024) and may be followed by "iB" or "B". Returns 0, or -1
 * with *why set to a static reason. */
int mk_parse_size(const char *s, uint64_t *out, const char **why);
/* "64 MiB", "1.50 GiB", "512 bytes": for messages and reports. */
void mk_format_size(uint64_t bytes, char *buf, size_t len);

static inline uint64_t mk_div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
static inline uint64_t mk_align_up(uint64_t a, uint64_t b) { return mk_div_up(a, b) * b; }

static inline void mk_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void mk_put32(uint8_t *p, uint32_t v) { mk_put16(p, (uint16_t)v); mk_put16(p + 2, (uint16_t)(v >> 16)); }

#endif

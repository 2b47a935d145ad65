/* mkimage --write-device: writing an image to a USB stick (or any whole
 * disk) safely. The parts:
 *   blockdev.c      what the device is, whether anything uses it
 *   flash_src.c     where the image's bytes come from (a file or memory)
 *   flash_plan.c    which ranges of the device get which bytes, in which order
 *   gpt_relocate.c  the backup GPT moved to the device's last sector
 *   flash_io.c      the aligned O_DIRECT write and read-back loops, progress
 *   flash.c         the order of it all: checks, confirmation, write, verify
 *   flash_cmd.c     the command line: an image file or a build, then --inspect
 * See docs/mkimage.md, "Writing a USB stick". */
#ifndef HYBOOT_MK_FLASH_H
#define HYBOOT_MK_FLASH_H

#include <stddef.h>
#include <stdint.h>
#include "gpt.h"
#include "mk_image.h"

struct mk_flash_opts {
    const char *device;
    int yes;              /* do not ask */
    int allow_fixed;      /* allow a disk that is neither removable nor on USB */
};

struct mk_opts;

/* The command line's part: the options, whether a recipe (-c) or build
 * settings were given, and main's --inspect to run on the device after. */
struct mk_flash_cmd {
    struct mk_flash_opts o;
    const char *recipe;
    int nset;                  /* build settings given as options */
    int other_mode;            /* --print-layout or --inspect given too */
    int (*inspect)(const char *path);
};
/* Runs --write-device with `nargs` positional arguments (the image, or
 * none: build from the recipe and `cmd`, which it takes over and frees).
 * Returns the exit status. */
int mk_flash_command(const struct mk_flash_cmd *c, struct mk_opts *cmd, int nargs, char **args);

/* Write the image file `image` / the in-memory image `img` (built from a
 * recipe; `what` names it in messages) to o->device. Returns 0 once the
 * device is written, flushed and read back identical; otherwise an error
 * has been printed and the return is 1. Interrupted by a signal, it prints
 * what state the device is in and dies of that signal. */
int mk_flash_file(const char *image, const struct mk_flash_opts *o);
int mk_flash_image(const struct mk_image *img, const char *what, const struct mk_flash_opts *o);

/* ---- internals, shared by the flash_*.c files and the unit tests ------- */

/* The image's bytes, from a file (pread; allocated ranges from
 * SEEK_DATA/SEEK_HOLE) or from an mk_image's chunks. */
struct fl_src {
    const char *name;
    uint64_t size;
    int fd;                          /* file source, else -1 */
    struct mk_chunk *chunk;          /* memory source: sorted copy */
    size_t nchunks;
};
int fl_src_open_file(struct fl_src *s, const char *path);   /* error printed */
void fl_src_from_image(struct fl_src *s, const struct mk_image *img, const char *name);
void fl_src_close(struct fl_src *s);
/* len bytes at off (zeros past the end); -1 with errno on a read error. */
int fl_src_read(const struct fl_src *s, uint64_t off, uint8_t *buf, size_t len);
/* The allocated ranges below `limit`, sorted and merged: the file's
 * SEEK_DATA/SEEK_HOLE map (everything when the file system cannot say),
 * or the chunks. *out is to be freed. */
struct fl_range { uint64_t start, end; };
size_t fl_src_ranges(const struct fl_src *s, uint64_t limit, struct fl_range **out);

/* Backup GPT moved to the last sector of a disk of dev_sectors sectors of
 * ss bytes: the new primary header (alternate LBA, last usable LBA, CRC)
 * and the backup header (at the last LBA, entries just before it).
 * Returns 0, or -1 when the image's partitions would not fit (the device
 * is too small). */
int mk_gpt_relocate(const struct gpt_header *img_primary, uint64_t dev_sectors, uint32_t ss,
                    struct gpt_header *primary, struct gpt_header *backup);
/* A protective MBR whose 0xEE entry spans the whole image is grown to
 * span the whole device (UEFI: "size of the disk minus one"); hybrid and
 * MBR-only tables are left alone. Returns 1 when `mbr` was changed. */
int mk_mbr_grow_protective(uint8_t mbr[512], uint64_t img_sectors, uint64_t dev_sectors);

enum fl_kind { FL_IMAGE, FL_ZERO, FL_BUF };

/* One range of the device and what goes there. Writing happens in three
 * passes (phase 0, 1, 2) so that the partition table is the last thing
 * written: until then the device has none, and nothing mistakes a
 * half-written stick for a bootable one. */
struct fl_extent {
    uint64_t off, len;
    enum fl_kind kind;
    const uint8_t *buf;      /* FL_BUF: len bytes */
    int phase;
    int check;               /* final content: read back and compared */
};

#define FL_HEAD      (64u << 10)   /* zeroed first, written last: MBR, GPT, start-of-disk signatures */
#define FL_TAIL      (1u << 20)    /* zeroed at the device's end: old backup GPT, RAID/ZFS labels */
#define FL_PART_HEAD (64u << 10)   /* zeroed at each old partition's start */

struct fl_plan {
    uint64_t dev_size, img_size;
    uint32_t ss;                /* the image's (and the device's) sector size */
    uint64_t data_end;          /* the image is written from 0 up to here */
    int gpt;                    /* the image has a GPT (moved to the device's end) */
    int mbr_grown;
    uint8_t mbr[512];           /* the first 512 bytes of LBA 0 as written */
    uint8_t primary[512];       /* the first 512 bytes of LBA 1 as written (gpt) */
    uint8_t *tail;              /* backup entries + header (gpt) */
    uint64_t backup_lba;
    struct fl_extent *ext;
    size_t n;
    uint64_t write_bytes;       /* sum over all passes */
    uint64_t check_bytes;
};

/* Old partitions on the device, as 512-byte sector start + count. */
struct fl_old_part { uint64_t start, sectors; };

/* Builds the plan for an image made for ss-byte sectors on a device of
 * dev_size bytes with sectors of that size; prints an error naming the
 * image and returns -1 when its GPT is damaged or it does not fit. */
int fl_plan_make(struct fl_plan *p, const struct fl_src *s, uint64_t dev_size, uint32_t ss,
                 const struct fl_old_part *old, size_t nold);
void fl_plan_free(struct fl_plan *p);
/* The bytes of [off, off+len) of extent e (inside it) into buf. */
int fl_plan_fill(const struct fl_plan *p, const struct fl_src *s, const struct fl_extent *e,
                 uint64_t off, uint8_t *buf, size_t len);

/* ---- flash_io.c ----------------------------------------------------------- */

/* Runs the passes on fd (opened O_RDWR | O_DIRECT), flushing after
 * phases 1 and 2. Returns 0; on a
 * write error prints it with the offset and returns -1. A signal stops
 * it between requests: the state of the device is printed and the
 * signal re-raised. */
int fl_write(int fd, const char *dev, struct fl_plan *p, const struct fl_src *s);
/* Reads every check extent back with O_DIRECT and compares it byte for
 * byte with what the plan put there (regenerated from the image: memcmp
 * runs at GB/s where SHA-256 here manages 170 MB/s, slower than a USB 3
 * stick). A mismatch is printed with its offset: 0 when all match, -1
 * otherwise. */
int fl_verify(int fd, const char *dev, struct fl_plan *p, const struct fl_src *s);

#endif

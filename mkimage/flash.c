/* mkimage --write-device: the order of things. Every check that can
 * refuse runs before the question, the question before the device is
 * opened for writing, and nothing is written until all of them passed.
 * Then: write (flash_io.c), let the kernel reread the partition table,
 * read everything back. main.c prints the --inspect report afterwards. */
#define _GNU_SOURCE
#include "mk_flash.h"
#include "mk_blockdev.h"
#include "mk_disk.h"
#include "mk.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int confirm(const struct bd_info *d)
{
    if (!isatty(STDIN_FILENO)) {
        mk_error(d->path, "no terminal to ask on: add --yes to write without asking (nothing written)");
        return -1;
    }
    fprintf(stderr, "Everything on %s will be lost. Type %s to write the image there: ", d->path, d->name);
    fflush(stderr);
    char answer[256] = "";
    if (!fgets(answer, sizeof answer, stdin))
        answer[0] = 0;
    size_t n = strlen(answer);
    while (n && (answer[n - 1] == '\n' || answer[n - 1] == '\r' || answer[n - 1] == ' '))
        answer[--n] = 0;
    if (strcmp(answer, d->name) != 0 && strcmp(answer, d->path) != 0) {
        mk_error(d->path, "not confirmed (typed \"%s\", not \"%s\"): nothing written", answer, d->name);
        return -1;
    }
    return 0;
}

/* Opens the disk for writing, exclusively: O_EXCL makes the kernel refuse
 * while anything has it (or a partition) mounted or claimed, and the BSD
 * lock keeps udev from probing it half-written (systemd's "locking block
 * device access" convention). */
static int open_device(const struct bd_info *d)
{
    int fd = open(d->path, O_RDWR | O_EXCL | O_DIRECT | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == EBUSY)
            mk_error(d->path, "is in use: the kernel refuses exclusive access (mounted, or held by another program)");
        else if (e == EACCES || e == EPERM)
            mk_error(d->path, "cannot open for writing: %s (writing a device needs root: sudo)", strerror(e));
        else
            mk_error(d->path, "cannot open for writing: %s", strerror(e));
        return -1;
    }
    for (int tries = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; tries++) {
        /* udev holds a shared lock for a moment while it probes. */
        if (errno != EWOULDBLOCK || tries >= 40) {
            mk_error(d->path, "is locked by another program (a partitioning tool?): nothing written");
            close(fd);
            return -1;
        }
        usleep(50000);
    }
    uint64_t size = 0;
    int lbs = 0;
    if (ioctl(fd, BLKGETSIZE64, &size) < 0 || ioctl(fd, BLKSSZGET, &lbs) < 0 ||
        size != d->size || lbs != (int)d->logical_block) {
        mk_error(d->path, "changed while it was being checked (size %llu, sector %d bytes): nothing written",
                 (unsigned long long)size, lbs);
        close(fd);
        return -1;
    }
    return fd;
}

/* Test hook, see docs/testing.md: HYBOOT_FLASH_CORRUPT_AT=OFFSET changes
 * one byte on the device between the write and the read-back, so the
 * test can see the check catch it. */
static int test_corrupt_hook(int fd)
{
    const char *v = getenv("HYBOOT_FLASH_CORRUPT_AT");
    if (!v || !*v)
        return 0;
    uint64_t at = strtoull(v, NULL, 0);
    /* 4 KiB: a whole sector on 512-byte and 4Kn devices alike (O_DIRECT) */
    uint8_t *sec;
    if (posix_memalign((void **)&sec, 4096, 4096))
        return -1;
    int r = -1;
    off_t base = (off_t)(at / 4096 * 4096);
    if (pread(fd, sec, 4096, base) == 4096) {
        sec[at % 4096] ^= 0xff;
        if (pwrite(fd, sec, 4096, base) == 4096 && fsync(fd) == 0)
            r = 0;
    }
    free(sec);
    fprintf(stderr, "mkimage: test hook: %s the byte at offset %llu before the read-back\n",
            r == 0 ? "changed" : "could not change", (unsigned long long)at);
    return r;
}

static void describe_plan(const struct fl_plan *p, const struct fl_src *s)
{
    char img[32], data[32], total[32];
    mk_format_size(p->img_size, img, sizeof img);
    mk_format_size(p->data_end, data, sizeof data);
    mk_format_size(p->write_bytes, total, sizeof total);
    printf("image %s%s: %s, data in the first %s; %s to write", s->fd < 0 ? "built from " : "", s->name, img,
           data, total);
    if (p->gpt && p->dev_size != p->img_size)
        printf(", backup GPT moved to the last sector (%llu)", (unsigned long long)p->backup_lba);
    printf("\n");
    fflush(stdout);
}

static int src_read_at(void *ctx, uint64_t off, void *buf, size_t len)
{
    return fl_src_read(ctx, off, buf, len);
}

static int flash(const struct fl_src *s, const struct mk_flash_opts *o)
{
    struct bd_info d;
    if (bd_probe(o->device, &d) < 0)
        return MK_EXIT_FAIL;
    struct fl_plan plan = { 0 };
    struct fl_old_part *old = mk_zalloc((d.nparts + 1) * sizeof *old);
    int r = MK_EXIT_FAIL, fd = -1;
    if (bd_check_unused(&d) < 0)
        goto out;
    if (!o->allow_fixed && !bd_is_removable_or_usb(&d)) {
        mk_error(d.path, "is neither removable nor on USB (transport %s): it could be a system disk; "
                         "add --allow-fixed if you are sure", d.transport);
        goto out;
    }
    if (d.readonly) {
        mk_error(d.path, "is read-only (a write-protect switch?): nothing written");
        goto out;
    }
    /* An image's tables count sectors of the size it was made for: on a
     * device of the other size no firmware finds them. */
    const char *how;
    uint32_t ss = mk_image_sector_size(src_read_at, (void *)s, s->size, d.logical_block, &how);
    if (d.logical_block != ss) {
        mk_error(d.path, "has %u-byte sectors, but %s was made for %u-byte sectors (%s): no firmware would find "
                         "its partitions there; make the image with mkimage --sector-size %u",
                 d.logical_block, s->name, ss, how, d.logical_block);
        goto out;
    }
    if (s->size % ss) {
        mk_error(d.path, "%s is not a whole number of %u-byte sectors", s->name, ss);
        goto out;
    }
    if (s->size > d.size) {
        char a[32], b[32];
        mk_format_size(d.size, a, sizeof a);
        mk_format_size(s->size, b, sizeof b);
        mk_error(d.path, "holds %s, smaller than the image (%s): nothing written", a, b);
        goto out;
    }
    for (size_t i = 0; i < d.nparts; i++) {
        old[i].start = d.part[i].start;
        old[i].sectors = d.part[i].sectors;
    }
    if (fl_plan_make(&plan, s, d.size, ss, old, d.nparts) < 0)
        goto out;
    bd_describe(&d, stdout);
    describe_plan(&plan, s);
    if (!o->yes && confirm(&d) < 0)
        goto out;
    fd = open_device(&d);
    if (fd < 0)
        goto out;

    double t0 = now();
    if (fl_write(fd, d.path, &plan, s) < 0)
        goto out;
    double t1 = now();
    /* EINVAL: a device without partitions (a loop device without -P). */
    if (ioctl(fd, BLKRRPART) < 0 && errno != EINVAL)
        mk_warn(d.path, "the kernel still sees the old partitions (%s): unplug and replug it before using it "
                        "on this machine", strerror(errno));
    if (test_corrupt_hook(fd) < 0)
        goto out;
    if (fl_verify(fd, d.path, &plan, s) < 0)
        goto out;
    double t2 = now();
    char w[32];
    mk_format_size(plan.write_bytes, w, sizeof w);
    printf("wrote %s in %.3f s (%.1f MiB/s), flushed; read back %llu bytes and verified in %.3f s\n", w,
           t1 - t0, (double)plan.write_bytes / 1048576.0 / (t1 - t0 > 0 ? t1 - t0 : 1e-9),
           (unsigned long long)plan.check_bytes, t2 - t1);
    fflush(stdout);
    r = MK_EXIT_OK;
out:
    if (fd >= 0)
        close(fd);
    fl_plan_free(&plan);
    free(old);
    bd_free(&d);
    return r;
}

int mk_flash_file(const char *image, const struct mk_flash_opts *o)
{
    struct fl_src s;
    if (fl_src_open_file(&s, image) < 0)
        return MK_EXIT_FAIL;
    int r = flash(&s, o);
    fl_src_close(&s);
    return r;
}

int mk_flash_image(const struct mk_image *img, const char *what, const struct mk_flash_opts *o)
{
    struct fl_src s;
    fl_src_from_image(&s, img, what);
    int r = flash(&s, o);
    fl_src_close(&s);
    return r;
}

/* The write and read-back loops of --write-device.
 *
 * O_DIRECT, one request at a time, each aligned to its own size and at
 * most 4 MiB (docs/mkimage.md has the measurements): the data goes to the
 * device as it is written, so the progress line shows the device's real
 * speed instead of the page cache's (buffered writes "finish" at once and
 * then sit in fsync for the whole write), a failing write is reported at
 * its offset rather than as a bare EIO from fsync, and a few megabytes do
 * not evict the user's page cache. The request size follows the device:
 * as large as 4 MiB while a request takes under a quarter of a second,
 * smaller on a slow stick so that progress and Ctrl-C stay responsive.
 * fsync at the end of the data and again after the partition table sends
 * the device a cache flush. */
#define _GNU_SOURCE
#include "mk_flash.h"
#include "mk.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REQ_MIN  (256u << 10)
#define REQ_MAX  (4u << 20)
#define REQ_SECS 0.25

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct io {
    int fd;
    const char *dev;
    const struct fl_plan *p;
    const struct fl_src *s;
    uint8_t *buf, *want;
    size_t req;
    const char *label;
    uint64_t total, done;
    double t0, shown;
    int tty, line;
    int phase;               /* -1 while verifying */
};

static void progress(struct io *io, int final)
{
    if (!io->tty)
        return;
    double t = now();
    if (!final && t - io->shown < 0.2)
        return;
    io->shown = t;
    double secs = t - io->t0, rate = secs > 0 ? (double)io->done / secs : 0;
    char a[32], b[32];
    mk_format_size(io->done, a, sizeof a);
    mk_format_size(io->total, b, sizeof b);
    fprintf(stderr, "\r%s %s of %s, %.1f MiB/s", io->label, a, b, rate / 1048576.0);
    if (final) {
        fprintf(stderr, ", took %.1f s", secs);
    } else {
        unsigned eta = rate > 0 ? (unsigned)((double)(io->total - io->done) / rate + 0.5) : 0;
        fprintf(stderr, ", ETA %u:%02u", eta / 60, eta % 60);
    }
    fputs("\033[K", stderr);
    io->line = !final;
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static void end_line(struct io *io)
{
    if (io->line)
        fputc('\n', stderr);
    io->line = 0;
}

/* Says what state the device is in and dies of the signal. */
static void interrupted(struct io *io)
{
    int sig = stop_signal;
    end_line(io);
    char a[32], b[32];
    mk_format_size(io->done, a, sizeof a);
    mk_format_size(io->total, b, sizeof b);
    if (io->phase < 0)
        mk_error(io->dev, "interrupted during the read-back check: the device was written in full but not "
                          "verified (mkimage --inspect %s checks it)", io->dev);
    else if (io->phase < 2)
        mk_error(io->dev, "interrupted after writing %s of %s: the device is INCOMPLETE and has no partition "
                          "table, so nothing will boot from it; run the command again", a, b);
    else
        mk_error(io->dev, "interrupted while writing the partition table: the device is INCOMPLETE; "
                          "run the command again");
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

/* Test hook, see docs/testing.md: HYBOOT_FLASH_STOP_AFTER=N makes the
 * write stop after N bytes and wait for a signal, so a test can
 * interrupt it at a known point instead of racing a sleep. */
static void test_stop_hook(struct io *io)
{
    static int armed = -1;
    static uint64_t at;
    if (armed < 0) {
        const char *v = getenv("HYBOOT_FLASH_STOP_AFTER");
        armed = v && *v;
        at = armed ? strtoull(v, NULL, 0) : 0;
    }
    if (!armed || io->done < at)
        return;
    armed = 0;
    fprintf(stderr, "mkimage: test hook: %llu bytes written, waiting for a signal\n", (unsigned long long)io->done);
    while (!stop_signal)
        usleep(10000);
}

/* Next request: up to the next multiple of its own size. */
static size_t request_len(struct io *io, uint64_t off, uint64_t end)
{
    uint64_t stop = (off / io->req + 1) * io->req;
    return (size_t)((stop < end ? stop : end) - off);
}

/* Sizes the next request so that it takes about REQ_SECS at the speed so far. */
static void adapt(struct io *io)
{
    double secs = now() - io->t0;
    if (secs <= 0 || io->done == 0)
        return;
    double want = (double)io->done / secs * REQ_SECS;
    size_t r = REQ_MAX;
    while (r > REQ_MIN && (double)r > want)
        r /= 2;
    io->req = r;
}

static int write_extent(struct io *io, const struct fl_extent *e)
{
    for (uint64_t off = e->off; off < e->off + e->len;) {
        if (stop_signal)
            interrupted(io);
        size_t n = request_len(io, off, e->off + e->len);
        if (fl_plan_fill(io->p, io->s, e, off, io->buf, n) < 0) {
            end_line(io);
            mk_error(io->s->name, "read failed at offset %llu: %s", (unsigned long long)off, strerror(errno));
            return -1;
        }
        for (size_t done = 0; done < n;) {
            ssize_t w = pwrite(io->fd, io->buf + done, n - done, (off_t)(off + done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                end_line(io);
                mk_error(io->dev, "write failed at offset %llu: %s: the device is INCOMPLETE",
                         (unsigned long long)(off + done), w < 0 ? strerror(errno) : "no space");
                return -1;
            }
            done += (size_t)w;
        }
        off += n;
        io->done += n;
        progress(io, 0);
        adapt(io);
        test_stop_hook(io);
    }
    return 0;
}

static int flush(struct io *io)
{
    if (fsync(io->fd) == 0)
        return 0;
    end_line(io);
    mk_error(io->dev, "flushing the device failed: %s: the device may be INCOMPLETE", strerror(errno));
    return -1;
}

static int io_init(struct io *io, int fd, const char *dev, const struct fl_plan *p, const struct fl_src *s,
                   const char *label, uint64_t total)
{
    memset(io, 0, sizeof *io);
    io->fd = fd;
    io->dev = dev;
    io->p = p;
    io->s = s;
    io->label = label;
    io->total = total;
    io->req = 1u << 20;
    io->tty = isatty(STDERR_FILENO);
    io->t0 = now();
    if (posix_memalign((void **)&io->buf, 4096, REQ_MAX) || posix_memalign((void **)&io->want, 4096, REQ_MAX)) {
        mk_error(NULL, "out of memory");
        return -1;
    }
    return 0;
}

static void io_free(struct io *io)
{
    free(io->buf);
    free(io->want);
}

int fl_write(int fd, const char *dev, struct fl_plan *p, const struct fl_src *s)
{
    struct io io;
    if (io_init(&io, fd, dev, p, s, "writing", p->write_bytes) < 0)
        return -1;
    catch_signals();
    int r = 0;
    for (int phase = 0; !r && phase <= 2; phase++) {
        io.phase = phase;
        for (size_t i = 0; !r && i < p->n; i++)
            if (p->ext[i].phase == phase)
                r = write_extent(&io, &p->ext[i]);
        if (!r && phase >= 1)
            r = flush(&io);
    }
    io.phase = -1;            /* written in full from here on */
    if (!r && stop_signal)
        interrupted(&io);
    if (!r)
        progress(&io, 1);
    io_free(&io);
    return r;
}

static int read_full(struct io *io, uint64_t off, size_t n)
{
    for (size_t done = 0; done < n;) {
        ssize_t r = pread(io->fd, io->buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            end_line(io);
            mk_error(io->dev, "read-back failed at offset %llu: %s", (unsigned long long)(off + done),
                     r < 0 ? strerror(errno) : "end of device");
            return -1;
        }
        done += (size_t)r;
    }
    return 0;
}

int fl_verify(int fd, const char *dev, struct fl_plan *p, const struct fl_src *s)
{
    struct io io;
    if (io_init(&io, fd, dev, p, s, "verifying", p->check_bytes) < 0)
        return -1;
    io.phase = -1;
    int r = 0;
    for (size_t i = 0; !r && i < p->n; i++) {
        const struct fl_extent *e = &p->ext[i];
        for (uint64_t off = e->off; e->check && !r && off < e->off + e->len;) {
            if (stop_signal)
                interrupted(&io);
            size_t n = request_len(&io, off, e->off + e->len);
            r = read_full(&io, off, n);
            if (!r && fl_plan_fill(p, s, e, off, io.want, n) < 0) {
                end_line(&io);
                mk_error(s->name, "read failed at offset %llu: %s", (unsigned long long)off, strerror(errno));
                r = -1;
            }
            if (!r && memcmp(io.buf, io.want, n) != 0) {
                size_t k = 0;
                while (io.buf[k] == io.want[k])
                    k++;
                end_line(&io);
                mk_error(dev, "read-back differs at offset %llu: 0x%02x, written 0x%02x; the device does not "
                              "keep what is written to it (failing, or a fake-capacity stick)",
                         (unsigned long long)(off + k), io.buf[k], io.want[k]);
                r = -1;
            }
            off += n;
            io.done += n;
            progress(&io, 0);
            adapt(&io);
        }
    }
    if (!r)
        progress(&io, 1);
    io_free(&io);
    return r;
}

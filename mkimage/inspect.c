/* mkimage --inspect IMAGE: an independent, read-only check of a disk image
 * or block device. It walks the image the way the firmware and hyboot's
 * loaders do (MBR and stage1 -> stage2 for BIOS; protective MBR -> GPT ->
 * ESP -> BOOTX64.EFI for UEFI; both -> boot.cfg -> kernel and modules)
 * using the loaders' own common/ code, and says which firmware path a
 * problem breaks.
 *
 * Output: one section per structure, "PROBLEM:" lines for what breaks a
 * boot or damages the image, "note:" lines for what is unusual but works,
 * then one summary line per firmware path. This file holds the driver,
 * the reporting and the image access; the checks are in inspect_disk.c
 * and inspect_esp.c. */
#define _GNU_SOURCE
#include "inspect.h"
#include "inspect_int.h"
#include "mk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

static const char *const path_name[NPATHS] = { "BIOS", "UEFI", "UEFI (32-bit)" };

/* ---- reporting ------------------------------------------------------------- */

void say(struct inspect *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(in->out, fmt, ap);
    va_end(ap);
}

void note(struct inspect *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  note: ", in->out);
    vfprintf(in->out, fmt, ap);
    fputc('\n', in->out);
    va_end(ap);
}

void problem(struct inspect *in, int paths, const char *fmt, ...)
{
    char msg[REASON_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* "UEFI" alone is both UEFI paths or the 64-bit one (the summary
     * has a line for each). */
    fprintf(in->out, "  PROBLEM%s: %s\n",
            (paths & PATH_BIOS) && (paths & PATH_UEFI) ? " (BIOS+UEFI)" : paths == PATH_BIOS ? " (BIOS)" :
            paths == PATH_UEFI32 ? " (UEFI 32-bit)" : paths & PATH_UEFI ? " (UEFI)" : "", msg);
    in->problems++;
    for (int p = 0; p < NPATHS; p++) {
        if (!(paths & (1 << p)))
            continue;
        if (!in->broken[p]++)
            snprintf(in->reason[p], sizeof in->reason[p], "%s", msg);
    }
}

#define RING 8
#define SHOWN_MAX 1100

const char *shown(const char *s)
{
    static char ring[RING][SHOWN_MAX];
    static int next;
    char *out = ring[next++ % RING];
    size_t o = 0, len = strlen(s), i = 0;
    while (i < len && o + 8 < SHOWN_MAX) {
        size_t at = i;
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp != UTF8_BAD && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) && cp != '\\') {
            memcpy(out + o, s + at, i - at);
            o += i - at;
        } else if (cp == '\\') {
            out[o++] = '\\';
            out[o++] = '\\';
        } else {
            for (size_t k = at; k < i && o + 5 < SHOWN_MAX; k++)
                o += (size_t)snprintf(out + o, 5, "\\x%02x", (uint8_t)s[k]);
        }
    }
    if (i < len)
        o += (size_t)snprintf(out + o, SHOWN_MAX - o, "...");
    out[o] = 0;
    return out;
}

const char *size_text(uint64_t bytes)
{
    static char ring[RING][40];
    static int next;
    char *out = ring[next++ % RING];
    mk_format_size(bytes, out, sizeof ring[0]);
    return out;
}

/* ---- reading ------------------------------------------------------------------ */

int read_sectors(struct inspect *in, uint64_t lba, uint32_t count, void *buf)
{
    if (lba > in->sectors || count > in->sectors - lba)
        return ERANGE;
    uint8_t *p = buf;
    size_t left = (size_t)count * in->ss;
    off_t off = (off_t)(lba * in->ss);
    while (left) {
        ssize_t n = pread(in->fd, p, left, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno ? errno : EIO;
        if (n == 0)
            return ERANGE;
        p += n;
        off += n;
        left -= (size_t)n;
    }
    return 0;
}

int read_fn(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    return read_sectors(ctx, lba, count, buf);
}

const char *read_error(int rc)
{
    return rc == ERANGE ? "beyond the end of the image" : strerror(rc);
}

/* ---- the image ------------------------------------------------------------------ */

static int read_at(void *ctx, uint64_t off, void *buf, size_t len)
{
    struct inspect *in = ctx;
    return pread(in->fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

static int open_image(struct inspect *in)
{
    /* O_NONBLOCK: a FIFO must be refused, not waited on. */
    in->fd = open(in->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (in->fd < 0) {
        mk_error(in->path, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(in->fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
        mk_error(in->path, "not an image file or block device");
        return -1;
    }
    off_t end = lseek(in->fd, 0, SEEK_END);
    uint64_t bytes = end > 0 ? (uint64_t)end : 0;
    if (S_ISBLK(st.st_mode) && bytes == 0) {
        uint64_t dev_bytes = 0;
        if (ioctl(in->fd, BLKGETSIZE64, &dev_bytes) == 0)
            bytes = dev_bytes;
    }
    if (S_ISBLK(st.st_mode)) {
        int lsz = 0;
        if (ioctl(in->fd, BLKSSZGET, &lsz) == 0 && lsz >= 512)
            in->dev_ss = (uint32_t)lsz;
    }
    const char *how;
    in->ss = mk_image_sector_size(read_at, in, bytes, in->dev_ss, &how);
    in->sectors = bytes / in->ss;

    say(in, "image %s: %" PRIu64 " bytes%s%s%s, %" PRIu64 " sectors of %" PRIu32 "%s\n", shown(in->path), bytes,
        bytes >= 1024 ? " (" : "", bytes >= 1024 ? size_text(bytes) : "", bytes >= 1024 ? ")" : "",
        in->sectors, in->ss, S_ISBLK(st.st_mode) ? ", block device" : "");
    say(in, "  sector size %" PRIu32 " bytes (%s)", in->ss, how);
    if (in->dev_ss)
        say(in, "; the device's logical sectors: %" PRIu32 " bytes", in->dev_ss);
    say(in, "\n");
    /* The classic mistake: an image for one sector size dd'd onto a disk
     * of the other. Firmware reads LBA 1 at byte dev_ss and finds no GPT;
     * the rest of the report is the image as it was made. */
    if (in->dev_ss && in->dev_ss != in->ss)
        problem(in, PATH_BOTH, "the device has %" PRIu32 "-byte logical sectors but the image on it was made for "
                "%" PRIu32 "-byte sectors: firmware looks for the GPT at byte %" PRIu32 " and will not find it "
                "(write an image made with mkimage --sector-size %" PRIu32 ")", in->dev_ss, in->ss, in->dev_ss,
                in->dev_ss);
    if (bytes % in->ss)
        note(in, "size is not a multiple of %" PRIu32 "; the last %u bytes are ignored", in->ss,
             (unsigned)(bytes % in->ss));
    if (in->sectors < 2 * (2 + GPT_ENTRIES_BYTES / in->ss)) {
        problem(in, PATH_BOTH, "too small to hold an MBR and two GPTs");
        return -1;
    }
    return 0;
}

static void summary(struct inspect *in)
{
    say(in, "\n");
    for (int p = 0; p < NPATHS; p++) {
        if (in->broken[p] && in->installed[p] != 0)
            say(in, "%s boot: BROKEN: %s%s\n", path_name[p], in->reason[p],
                in->broken[p] > 1 ? " (and more above)" : "");
        else if (in->installed[p] == 0)
            say(in, "%s boot: not installed\n", path_name[p]);
        else if (in->installed[p] < 0)
            say(in, "%s boot: cannot tell\n", path_name[p]);
        else
            say(in, "%s boot: ok\n", path_name[p]);
    }
    if (in->installed[0] == 0 && in->installed[1] == 0 && in->installed[2] == 0)
        problem(in, 0, "neither a BIOS nor a UEFI boot path is installed");
    if (in->problems)
        say(in, "inspect: %d problem%s\n", in->problems, in->problems == 1 ? "" : "s");
    else
        say(in, "inspect: ok\n");
}

int inspect_image(const char *path, FILE *out)
{
    struct inspect *in = mk_zalloc(sizeof *in);
    in->out = out;
    in->path = path;
    in->installed[0] = in->installed[1] = in->installed[2] = -1;

    if (open_image(in) == 0) {
        check_mbr(in);
        check_gpt(in);
        locate_esp(in);
        check_stage2(in);
        check_esp(in);
        summary(in);
    } else if (in->problems == 0) {
        in->problems = 1;      /* could not open: already said why */
    }
    int status = in->problems ? 1 : 0;
    if (in->fd >= 0)
        close(in->fd);
    free(in->entries);
    free(in);
    fflush(out);
    return status;
}

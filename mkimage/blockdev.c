/* What a block device is and whether anything uses it, from sysfs and
 * /proc (see mk_blockdev.h; HYBOOT_SYSFS_ROOT / HYBOOT_PROC_ROOT are the
 * test hooks that move both). Every refusal names the device and says
 * what to do instead: this is the check that stands between a typo and
 * a lost system disk. */
#define _GNU_SOURCE
#include "mk_blockdev.h"
#include "mk.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *sys_root(void)
{
    const char *r = getenv("HYBOOT_SYSFS_ROOT");
    return r && *r ? r : "/sys";
}

static const char *proc_root(void)
{
    const char *r = getenv("HYBOOT_PROC_ROOT");
    return r && *r ? r : "/proc";
}

/* snprintf that says when it cut: sysfs paths and names fit easily, but a
 * path that did not fit must not silently name a different file. */
static int fmt(char *out, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static int fmt(char *out, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int k = vsnprintf(out, n, f, ap);
    va_end(ap);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* First line of a small sysfs file, trailing blanks removed. */
static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    int ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = 0;
    return 0;
}

static int read_at(const char *dir, const char *file, char *buf, size_t len)
{
    char p[PATH_MAX + 64];
    if (fmt(p, sizeof p, "%s/%s", dir, file) < 0)
        return -1;
    return read_line(p, buf, len);
}

static uint64_t read_u64(const char *dir, const char *file, uint64_t fallback)
{
    char buf[64], *end;
    if (read_at(dir, file, buf, sizeof buf) < 0)
        return fallback;
    unsigned long long v = strtoull(buf, &end, 10);
    return end == buf ? fallback : (uint64_t)v;
}

static int exists_at(const char *dir, const char *file)
{
    char p[PATH_MAX + 64];
    return fmt(p, sizeof p, "%s/%s", dir, file) == 0 && access(p, F_OK) == 0;
}

/* The sysfs folder of block device maj:min, resolved; -1 when sysfs does
 * not know it. */
static int sysdir_of(unsigned maj, unsigned min, char out[PATH_MAX])
{
    char p[PATH_MAX];
    if (fmt(p, sizeof p, "%s/dev/block/%u:%u", sys_root(), maj, min) < 0)
        return -1;
    return realpath(p, out) ? 0 : -1;
}

static const char *base_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void parent_of(const char *path, char out[PATH_MAX])
{
    fmt(out, PATH_MAX, "%s", path);
    char *s = strrchr(out, '/');
    if (s && s != out)
        *s = 0;
}

/* ---- transport ----------------------------------------------------------- */

/* The bus a disk hangs off, from the "subsystem" links of the folders
 * above it in /sys/devices: a USB stick's disk sits below a SCSI device
 * below a USB interface, so "usb" anywhere above wins; otherwise the
 * nearest bus that says what the disk is. */
static void find_transport(const char *sys, char out[16])
{
    char dir[PATH_MAX], link[PATH_MAX + 16], target[PATH_MAX];
    const char *first = NULL;
    int ata = 0;
    size_t root_len = strlen(sys_root());
    fmt(dir, sizeof dir, "%s", sys);
    if (strstr(sys, "/devices/virtual/")) {
        fmt(out, 16, "virtual");
        return;
    }
    while (strlen(dir) > root_len) {
        fmt(link, sizeof link, "%s/subsystem", dir);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) {
            target[n] = 0;
            const char *sub = base_of(target);
            if (strcmp(sub, "usb") == 0) {
                fmt(out, 16, "usb");
                return;
            }
            static const char *const buses[] = { "nvme", "mmc", "virtio", "scsi" };
            for (size_t i = 0; !first && i < sizeof buses / sizeof buses[0]; i++)
                if (strcmp(sub, buses[i]) == 0)
                    first = buses[i];
        }
        const char *b = base_of(dir);
        if (strncmp(b, "ata", 3) == 0 && b[3] >= '0' && b[3] <= '9')
            ata = 1;
        char up[PATH_MAX];
        parent_of(dir, up);
        if (strcmp(up, dir) == 0)
            break;
        fmt(dir, sizeof dir, "%s", up);
    }
    if (first && strcmp(first, "scsi") == 0 && ata)
        first = "sata";
    fmt(out, 16, "%s", first ? first : "unknown");
}

/* ---- probing ----------------------------------------------------------- */

static int cmp_part(const void *a, const void *b)
{
    const struct bd_part *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void read_parts(struct bd_info *d)
{
    DIR *dir = opendir(d->sys);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        char p[PATH_MAX + 300], dev[32];
        unsigned ma, mi;
        if (fmt(p, sizeof p, "%s/%s", d->sys, e->d_name) < 0 || !exists_at(p, "partition") || read_at(p, "dev", dev, sizeof dev) < 0 ||
            sscanf(dev, "%u:%u", &ma, &mi) != 2)
            continue;
        d->part = mk_realloc(d->part, (d->nparts + 1) * sizeof *d->part);
        struct bd_part *q = &d->part[d->nparts++];
        memset(q, 0, sizeof *q);
        fmt(q->name, sizeof q->name, "%s", e->d_name);
        q->maj = ma;
        q->min = mi;
        q->start = read_u64(p, "start", 0);
        q->sectors = read_u64(p, "size", 0);
    }
    closedir(dir);
    if (d->nparts)
        qsort(d->part, d->nparts, sizeof *d->part, cmp_part);
}

static void read_identity(struct bd_info *d)
{
    char buf[PATH_MAX];
    if (read_at(d->sys, "device/vendor", buf, sizeof buf) == 0)
        fmt(d->vendor, sizeof d->vendor, "%s", buf);
    if (read_at(d->sys, "device/model", buf, sizeof buf) == 0 ||
        read_at(d->sys, "device/name", buf, sizeof buf) == 0)      /* MMC/SD */
        fmt(d->model, sizeof d->model, "%s", buf);
    else if (read_at(d->sys, "loop/backing_file", buf, sizeof buf) == 0)
        fmt(d->model, sizeof d->model, "loop device on %s", buf);
}

int bd_probe(const char *path, struct bd_info *d)
{
    memset(d, 0, sizeof *d);
    fmt(d->path, sizeof d->path, "%s", path);
    struct stat st;
    if (stat(path, &st) < 0) {
        mk_error(path, "%s (list the disks with: lsblk -d -o NAME,SIZE,TRAN,RM,MODEL)", strerror(errno));
        return -1;
    }
    if (S_ISREG(st.st_mode)) {
        mk_error(path, "is a regular file, not a device: --write-device takes a whole disk such as /dev/sdb "
                       "(-o writes an image file)");
        return -1;
    }
    if (S_ISCHR(st.st_mode)) {
        mk_error(path, "is a character device, not a disk: --write-device takes a whole disk such as /dev/sdb");
        return -1;
    }
    if (!S_ISBLK(st.st_mode)) {
        mk_error(path, "is not a block device: --write-device takes a whole disk such as /dev/sdb");
        return -1;
    }
    d->maj = major(st.st_rdev);
    d->min = minor(st.st_rdev);
    if (sysdir_of(d->maj, d->min, d->sys) < 0) {
        mk_error(path, "block device %u:%u is not in %s/dev/block: cannot tell what it is", d->maj, d->min, sys_root());
        return -1;
    }
    if (exists_at(d->sys, "partition")) {
        char disk[PATH_MAX];
        parent_of(d->sys, disk);
        mk_error(path, "is a partition (%s) of %s: give the whole disk, /dev/%s", base_of(d->sys),
                 base_of(disk), base_of(disk));
        return -1;
    }
    fmt(d->name, sizeof d->name, "%s", base_of(d->sys));
    d->size = read_u64(d->sys, "size", 0) * 512;
    d->logical_block = (unsigned)read_u64(d->sys, "queue/logical_block_size", 512);
    d->removable = read_u64(d->sys, "removable", 0) == 1;
    d->readonly = read_u64(d->sys, "ro", 0) == 1;
    find_transport(d->sys, d->transport);
    read_identity(d);
    read_parts(d);
    return 0;
}

void bd_free(struct bd_info *d)
{
    free(d->part);
    d->part = NULL;
    d->nparts = 0;
}

int bd_is_removable_or_usb(const struct bd_info *d)
{
    return d->removable || strcmp(d->transport, "usb") == 0;
}

/* ---- is it in use? ------------------------------------------------------- */

/* Is the block device in sysfs folder `dir` our disk, one of its
 * partitions, or stacked on them (dm, md: through "slaves")? */
static int stacked_on(const char *dir, const struct bd_info *d, int depth)
{
    if (strcmp(dir, d->sys) == 0)
        return 1;
    if (exists_at(dir, "partition")) {
        char up[PATH_MAX];
        parent_of(dir, up);
        return strcmp(up, d->sys) == 0;
    }
    if (depth > 8)
        return 0;
    char sl[PATH_MAX + 16];
    DIR *s = fmt(sl, sizeof sl, "%s/slaves", dir) < 0 ? NULL : opendir(sl);
    if (!s)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(s))) {
        char p[PATH_MAX + 300], real[PATH_MAX];
        if (e->d_name[0] == '.')
            continue;
        if (fmt(p, sizeof p, "%s/%s", sl, e->d_name) == 0 && realpath(p, real))
            found = stacked_on(real, d, depth + 1);
    }
    closedir(s);
    return found;
}

static int dev_on_disk(unsigned maj, unsigned min, const struct bd_info *d)
{
    char dir[PATH_MAX];
    return maj != 0 && sysdir_of(maj, min, dir) == 0 && stacked_on(dir, d, 0);
}

static int path_on_disk(const char *path, const struct bd_info *d)
{
    struct stat st;
    return path[0] == '/' && stat(path, &st) == 0 && S_ISBLK(st.st_mode) &&
           dev_on_disk(major(st.st_rdev), minor(st.st_rdev), d);
}

/* /proc/self/mounts and /proc/swaps write a space as \040 (octal). */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
}

static FILE *open_proc(const char *file)
{
    char p[PATH_MAX];
    return fmt(p, sizeof p, "%s/%s", proc_root(), file) < 0 ? NULL : fopen(p, "re");
}

static int check_root(const struct bd_info *d)
{
    /* The device of "/" itself, and the source the mount table names for
     * "/" (on btrfs st_dev is an anonymous device, not the disk). */
    struct stat st;
    int hit = stat("/", &st) == 0 && dev_on_disk(major(st.st_dev), minor(st.st_dev), d);
    FILE *f = open_proc("self/mounts");
    char line[8192], src[4096], dir[4096], root_src[4096] = "";
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%4095s %4095s", src, dir) == 2 && strcmp(dir, "/") == 0)
            fmt(root_src, sizeof root_src, "%s", src);   /* the last one is on top */
    if (f)
        fclose(f);
    unescape(root_src);
    if (root_src[0] && path_on_disk(root_src, d))
        hit = 1;
    if (hit)
        mk_error(d->path, "holds the root file system (/) of this system: refusing to overwrite it");
    return hit ? -1 : 0;
}

static int check_mounts(const struct bd_info *d)
{
    FILE *f = open_proc("self/mounts");
    if (!f) {
        mk_error(d->path, "cannot read %s/self/mounts to check that nothing on it is mounted: %s",
                 proc_root(), strerror(errno));
        return -1;
    }
    char line[8192], src[4096], dir[4096];
    int r = 0;
    while (!r && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%4095s %4095s", src, dir) != 2)
            continue;
        unescape(src);
        unescape(dir);
        if (path_on_disk(src, d)) {
            mk_error(d->path, "%s is mounted on %s: unmount it first (umount %s)", src, dir, dir);
            r = -1;
        }
    }
    fclose(f);
    return r;
}

static int check_swaps(const struct bd_info *d)
{
    FILE *f = open_proc("swaps");
    if (!f)
        return 0;    /* a kernel without swap support has no /proc/swaps */
    char line[8192], src[4096];
    int r = 0;
    while (!r && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%4095s", src) != 1)
            continue;
        unescape(src);
        if (path_on_disk(src, d)) {
            mk_error(d->path, "%s is in use as swap: turn it off first (swapoff %s)", src, src);
            r = -1;
        }
    }
    fclose(f);
    return r;
}

/* A holder is a block device built on top of ours: dm (LVM, dm-crypt,
 * multipath) or md (RAID). Writing under it corrupts it. */
static int check_holders_of(const struct bd_info *d, const char *dir, const char *what)
{
    char hp[PATH_MAX + 16];
    DIR *h = fmt(hp, sizeof hp, "%s/holders", dir) < 0 ? NULL : opendir(hp);
    if (!h)
        return 0;
    struct dirent *e;
    int r = 0;
    while (!r && (e = readdir(h))) {
        if (e->d_name[0] == '.')
            continue;
        char hdir[PATH_MAX + 300], name[256] = "";
        if (fmt(hdir, sizeof hdir, "%s/%s", hp, e->d_name) < 0)
            continue;
        const char *kind = "another block device";
        if (read_at(hdir, "dm/name", name, sizeof name) == 0 || exists_at(hdir, "dm"))
            kind = "device-mapper: LVM, dm-crypt or multipath";
        else if (exists_at(hdir, "md"))
            kind = "software RAID";
        mk_error(d->path, "%s is in use by %s%s%s%s (%s): stop that first", what, e->d_name,
                 name[0] ? " (" : "", name, name[0] ? ")" : "", kind);
        r = -1;
    }
    closedir(h);
    return r;
}

int bd_check_unused(const struct bd_info *d)
{
    if (check_root(d) < 0 || check_mounts(d) < 0 || check_swaps(d) < 0)
        return -1;
    if (check_holders_of(d, d->sys, d->name) < 0)
        return -1;
    for (size_t i = 0; i < d->nparts; i++) {
        char p[PATH_MAX + 80];
        if (fmt(p, sizeof p, "%s/%s", d->sys, d->part[i].name) == 0 && check_holders_of(d, p, d->part[i].name) < 0)
            return -1;
    }
    return 0;
}

void bd_describe(const struct bd_info *d, FILE *out)
{
    char size[32];
    mk_format_size(d->size, size, sizeof size);
    fprintf(out, "%s (%s): %s (%llu bytes), transport %s, %s\n", d->path, d->name, size,
            (unsigned long long)d->size, d->transport, d->removable ? "removable" : "not removable");
    fprintf(out, "  vendor %s, model %s\n", d->vendor[0] ? d->vendor : "(none)", d->model[0] ? d->model : "(none)");
    if (!d->nparts)
        fprintf(out, "  partitions: none\n");
    for (size_t i = 0; i < d->nparts; i++) {
        mk_format_size(d->part[i].sectors * 512, size, sizeof size);
        fprintf(out, "  partition %s: from sector %llu, %s\n", d->part[i].name,
                (unsigned long long)d->part[i].start, size);
    }
}

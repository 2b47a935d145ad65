/* Files on the ESP for the boot flow, through the shared FAT reader. */
#include "fat.h"
#include "fmt.h"
#include "io.h"
#include "loader.h"
#include "stage2.h"

struct plat_file {
    struct fat_file f;
};

/* The flow opens one file at a time. */
static struct plat_file the_file;
static char reason[96];

static const char *fat_why(int rc)
{
    if (rc == FAT_EIO) {
        fmt_snprintf(reason, sizeof reason, "disk read error at LBA %llu (BIOS status 0x%02x)",
                     (unsigned long long)s2.vol.last_error_lba, (unsigned)s2.vol.last_error);
        return reason;
    }
    if (rc == FAT_ECORRUPT && s2.vol.corrupt) {
        fmt_snprintf(reason, sizeof reason, "corrupt FAT: %s", s2.vol.corrupt);
        return reason;
    }
    return fat_strerror(rc);
}

int plat_file_open(const char *path, struct plat_file **f, uint64_t *size, const char **why)
{
    int rc = fat_open(&s2.vol, path, &the_file.f);
    if (rc == FAT_ENOENT)
        return PLAT_FILE_ENOENT;
    if (rc) {
        *why = fat_why(rc);
        return PLAT_FILE_ERROR;
    }
    if (the_file.f.attr & FAT_ATTR_DIRECTORY) {
        *why = "is a directory";
        return PLAT_FILE_ERROR;
    }
    *f = &the_file;
    *size = the_file.f.size;
    return PLAT_FILE_OK;
}

int plat_file_read(struct plat_file *f, void *dst, uint64_t len, const char **why)
{
    /* One read() per contiguous cluster run: disk_read splits it into
     * bounce-buffer-sized INT 13h calls. */
    int rc = fat_read_file(&s2.vol, &f->f, dst, (uint32_t)len, 0);
    if (rc) {
        *why = fat_why(rc);
        return -1;
    }
    return 0;
}

void plat_file_close(struct plat_file *f)
{
    (void)f;
}

uint32_t plat_disk_calls(void)
{
    return s2.disk.calls;
}

void plat_bench_raw_read(void *buf, uint64_t bytes, uint64_t *ticks, uint32_t *calls)
{
    uint32_t calls0 = s2.disk.calls;
    uint64_t t0 = rdtsc();
    uint32_t ss = s2.disk.sector_size;
    disk_read_or_die(&s2.disk, s2.vol.part_lba, (uint32_t)((bytes + ss - 1) / ss), buf);
    *ticks = rdtsc() - t0;
    *calls = s2.disk.calls - calls0;
}

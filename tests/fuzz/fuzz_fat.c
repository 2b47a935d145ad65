/* FAT: common/fat.c, fat_walk.c, fat_table.c and fat_name.c on a volume
 * made of the input (fuzz_disk.h; the volume starts at LBA 0): mount, the
 * bounded walk of every directory (long names included), the loaders'
 * lookups of their files, and reading file chains. Flag bit 1 reads in
 * runs of at most 8 sectors (stage2's bounce buffer) instead of whole
 * runs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fat.h"
#include "fat_walk.h"
#include "fuzz_disk.h"

/* Bytes of one file read per walk step, and files read per input: enough
 * to follow long chains, small enough to keep an iteration fast. */
#define READ_MAX   (256u * 1024)
#define FILES_MAX  8

static struct fat_vol vol;
static struct fat_walk walk;
static uint8_t file_buf[READ_MAX];
static uint32_t files_read, max_run;

static void read_some(const struct fat_file *f)
{
    uint32_t len = f->size < READ_MAX ? f->size : READ_MAX;
    fat_read_file(&vol, f, file_buf, len, max_run);
    /* Asking for more than the file holds is the caller's error. */
    if (fat_read_file(&vol, f, file_buf, f->size + 1u, max_run) != FAT_EINVAL && f->size != UINT32_MAX)
        __builtin_trap();
}

static int on_entry(void *ctx, enum fat_walk_what what, const char *path, const struct fat_file *f, int err,
                    const char *why)
{
    (void)ctx, (void)err, (void)why;
    if (strlen(path) >= FAT_WALK_PATH_MAX)
        __builtin_trap();
    if (what == FAT_WALK_FILE && files_read++ < FILES_MAX)
        read_some(f);
    return 0;
}

static int on_listed(void *ctx, const char *name, const struct fat_file *f)
{
    (void)ctx, (void)name, (void)f;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_disk d;
    if (fuzz_disk_parse(&d, data, size))
        return 0;
    if (fat_mount_dev(&vol, fuzz_disk_read, &d, 0, d.sector_size) != FAT_OK)
        return 0;
    files_read = 0;
    max_run = (d.flags & 2) ? 8 : 0;
    fat_walk(&vol, &walk, on_entry, NULL);
    static const char *const paths[] = { "/boot/boot.cfg", "/boot/kernel.elf", "/EFI/BOOT/BOOTX64.EFI",
                                         "/EFI/BOOT/BOOTIA32.EFI", "/boot" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct fat_file f;
        if (fat_open(&vol, paths[i], &f) == FAT_OK && !(f.attr & FAT_ATTR_DIRECTORY))
            read_some(&f);
    }
    fat_list(&vol, "/", on_listed, NULL);
    fat_list(&vol, "/EFI/BOOT", on_listed, NULL);
    return 0;
}

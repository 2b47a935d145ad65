/* Finding out what a block device is before mkimage --write-device
 * overwrites it: whole disk or partition, size, removable or on USB,
 * vendor and model, current partitions, and whether anything uses it
 * (the root file system, a mount, swap, device-mapper/LVM/RAID).
 *
 * Everything comes from sysfs and /proc. Both are read under a root that
 * defaults to /sys and /proc; the environment variables HYBOOT_SYSFS_ROOT
 * and HYBOOT_PROC_ROOT move them elsewhere. They are test hooks: the
 * tests build a small tree that says "this loop device is a USB stick"
 * (or "has a holder", "holds /"), and the code reads the same files it
 * reads in production, only under another root. */
#ifndef HYBOOT_MK_BLOCKDEV_H
#define HYBOOT_MK_BLOCKDEV_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

struct bd_part {
    char     name[64];          /* sdb1 */
    unsigned maj, min;
    uint64_t start, sectors;    /* in 512-byte sectors, as sysfs gives them */
};

struct bd_info {
    char     path[PATH_MAX];    /* as the user gave it */
    char     name[64];          /* kernel name: sdb, mmcblk0, loop3 */
    char     sys[PATH_MAX];     /* its folder in sysfs (resolved) */
    unsigned maj, min;
    uint64_t size;              /* bytes (sysfs "size" x 512) */
    unsigned logical_block;     /* bytes per logical sector */
    int      removable;         /* sysfs "removable" */
    int      readonly;          /* sysfs "ro": a write-protect switch, losetup -r */
    char     transport[16];     /* usb, sata, nvme, mmc, virtio, scsi, virtual, unknown */
    char     vendor[64], model[PATH_MAX];
    struct bd_part *part;
    size_t   nparts;
};

/* Fills d for `path`, which must name a whole-disk block device. Returns
 * 0, or -1 after printing "mkimage: error: PATH: reason" (not a block
 * device, a partition, unknown to sysfs). */
int bd_probe(const char *path, struct bd_info *d);
void bd_free(struct bd_info *d);

/* Refuses (error printed, -1) when the disk holds the root file system,
 * when it or a partition is mounted, used as swap, or held by another
 * block device (device-mapper, LVM, dm-crypt, RAID). 0 when unused. */
int bd_check_unused(const struct bd_info *d);

/* Does the kernel call it removable, or is it on USB? */
int bd_is_removable_or_usb(const struct bd_info *d);

/* Several lines: name, size, transport, vendor/model, partitions. */
void bd_describe(const struct bd_info *d, FILE *out);

#endif

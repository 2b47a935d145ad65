/* Files on the volume this loader was started from. */
#ifndef HYBOOT_UEFI_VOLUME_H
#define HYBOOT_UEFI_VOLUME_H

#include "uefi.h"

/* The root directory of the file system on LoadedImage->DeviceHandle
 * (never "the first file system"); stores that handle in *device.
 * Fatal on failure. */
EFI_FILE_HANDLE volume_open_root(EFI_HANDLE image, EFI_HANDLE *device);

struct file_data {
    uint64_t addr;        /* EfiLoaderData pages holding the file */
    uint64_t size;        /* file size in bytes */
    uint64_t read_ticks;  /* TSC ticks spent in File->Read */
    uint32_t read_calls;  /* File->Read calls made */
};

#define FILE_OK        0
#define FILE_NOT_FOUND 1
#define FILE_ERROR     2  /* *why says what */

/* Reads the whole file at `path` ('/'-separated, absolute) into fresh
 * pages; free them with file_free. */
int file_read_all(EFI_FILE_HANDLE root, const char *path, struct file_data *out, const char **why);
void file_free(struct file_data *f);

#endif

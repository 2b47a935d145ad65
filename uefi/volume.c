/* Opening our own volume and reading whole files from it. */
#include "volume.h"
#include "alloc.h"
#include "io.h"
#include "mem.h"

EFI_FILE_HANDLE volume_open_root(EFI_HANDLE image, EFI_HANDLE *device)
{
    EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
    EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
    EFI_LOADED_IMAGE *li = NULL;
    EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs = NULL;
    EFI_FILE_HANDLE root = NULL;

    EFI_STATUS s = efi_bs->HandleProtocol(image, &li_guid, (void **)&li);
    if (EFI_ERROR(s) || !li)
        uefi_fatal("no LoadedImage protocol on our image handle (%s)", efi_status_name(s));
    s = efi_bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
    if (EFI_ERROR(s) || !fs)
        uefi_fatal("the volume we were loaded from has no file system (%s)", efi_status_name(s));
    s = fs->OpenVolume(fs, &root);
    if (EFI_ERROR(s) || !root)
        uefi_fatal("cannot open the volume we were loaded from (%s)", efi_status_name(s));
    *device = li->DeviceHandle;
    return root;
}

/* "/boot/kernel.elf" -> L"\\boot\\kernel.elf"; -1 when it does not fit. */
static int to_efi_path(const char *path, CHAR16 *out, unsigned cap)
{
    unsigned n = 0;
    for (; *path; path++) {
        if (n + 1 >= cap) return -1;
        out[n++] = *path == '/' ? L'\\' : (CHAR16)(unsigned char)*path;
    }
    out[n] = 0;
    return 0;
}

int file_read_all(EFI_FILE_HANDLE root, const char *path, struct file_data *out, const char **why)
{
    CHAR16 wpath[260];
    EFI_FILE_HANDLE f = NULL;
    memset(out, 0, sizeof *out);
    *why = NULL;
    if (to_efi_path(path, wpath, sizeof wpath / sizeof wpath[0])) {
        *why = "path too long";
        return FILE_ERROR;
    }
    EFI_STATUS s = root->Open(root, &f, wpath, EFI_FILE_MODE_READ, 0);
    if (s == EFI_NOT_FOUND) return FILE_NOT_FOUND;
    if (EFI_ERROR(s)) {
        *why = efi_status_name(s);
        return FILE_ERROR;
    }

    /* EFI_FILE_INFO ends in the file name: room for a long one. */
    uint64_t info_buf[(sizeof(EFI_FILE_INFO) + 512 * sizeof(CHAR16)) / 8 + 1];
    UINTN info_size = sizeof info_buf;
    EFI_GUID info_guid = EFI_FILE_INFO_ID;
    s = f->GetInfo(f, &info_guid, &info_size, info_buf);
    if (EFI_ERROR(s)) {
        f->Close(f);
        *why = "cannot get the file size";
        return FILE_ERROR;
    }
    EFI_FILE_INFO *info = (EFI_FILE_INFO *)info_buf;
    if (info->Attribute & EFI_FILE_DIRECTORY) {
        f->Close(f);
        *why = "is a directory";
        return FILE_ERROR;
    }
    out->size = info->FileSize;
    out->addr = alloc_pages(EfiLoaderData, out->size ? out->size : 1, ANY_ADDR);
    if (!out->addr) {
        f->Close(f);
        *why = "out of memory for the file";
        return FILE_ERROR;
    }

    /* One Read for the whole file normally does it; loop in case the
     * driver returns less. */
    uint64_t done = 0;
    uint64_t t0 = rdtsc();
    while (done < out->size) {
        UINTN chunk = out->size - done;
        out->read_calls++;
        s = f->Read(f, &chunk, (uint8_t *)(uintptr_t)out->addr + done);
        if (EFI_ERROR(s) || chunk == 0) break;
        done += chunk;
    }
    out->read_ticks = rdtsc() - t0;
    f->Close(f);
    if (done != out->size) {
        file_free(out);
        *why = EFI_ERROR(s) ? "read error" : "file shorter than its size";
        return FILE_ERROR;
    }
    return FILE_OK;
}

void file_free(struct file_data *f)
{
    free_pages(f->addr, f->size ? f->size : 1);
    f->addr = 0;
}

/* Files on the volume this loader was started from (plat_file_*):
 * LoadedImage->DeviceHandle's file system, never "the first one". */
#include "uefi.h"
#include "loader.h"
#include "mem.h"
#include "utf8.h"

static EFI_FILE_HANDLE root;

void volume_open(void)
{
    EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
    EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
    EFI_LOADED_IMAGE *li = NULL;
    EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs = NULL;

    EFI_STATUS s = efi_bs->HandleProtocol(efi_image, &li_guid, (void **)&li);
    if (EFI_ERROR(s) || !li)
        die("no LoadedImage protocol on our image handle (%s)", efi_status_name(s));
    say("uefi loader image at 0x%llx", (unsigned long long)(uintptr_t)li->ImageBase);
    s = efi_bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
    if (EFI_ERROR(s) || !fs)
        die("the volume we were loaded from has no file system (%s)", efi_status_name(s));
    s = fs->OpenVolume(fs, &root);
    if (EFI_ERROR(s) || !root)
        die("cannot open the volume we were loaded from (%s)", efi_status_name(s));
    efi_boot_device = li->DeviceHandle;
}

/* "/boot/kérnel.elf" (UTF-8) -> L"\\boot\\kérnel.elf" (UTF-16, the
 * firmware's file names); -1 when it is not UTF-8 or does not fit. The
 * same decoder as the FAT reader's, so a name stage2 finds is one the
 * firmware is asked for. */
static int to_efi_path(const char *path, CHAR16 *out, unsigned cap)
{
    int n = utf8_to_utf16(path, strlen(path), (uint16_t *)out, cap - 1);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++)
        if (out[i] == L'/') out[i] = L'\\';
    out[n] = 0;
    return 0;
}

struct plat_file {
    EFI_FILE_HANDLE h;
};
static struct plat_file the_file;
static uint32_t read_calls;

int plat_file_open(const char *path, struct plat_file **f, uint64_t *size, const char **why)
{
    CHAR16 wpath[260];
    if (to_efi_path(path, wpath, sizeof wpath / sizeof wpath[0])) {
        *why = "path too long or not UTF-8";
        return PLAT_FILE_ERROR;
    }
    EFI_FILE_HANDLE h = NULL;
    EFI_STATUS s = root->Open(root, &h, wpath, EFI_FILE_MODE_READ, 0);
    if (s == EFI_NOT_FOUND) return PLAT_FILE_ENOENT;
    if (EFI_ERROR(s)) {
        *why = efi_status_name(s);
        return PLAT_FILE_ERROR;
    }
    /* EFI_FILE_INFO ends in the file name: room for a long one. */
    uint64_t info_buf[(sizeof(EFI_FILE_INFO) + 512 * sizeof(CHAR16)) / 8 + 1];
    UINTN info_size = sizeof info_buf;
    EFI_GUID info_guid = EFI_FILE_INFO_ID;
    s = h->GetInfo(h, &info_guid, &info_size, info_buf);
    EFI_FILE_INFO *info = (EFI_FILE_INFO *)info_buf;
    if (EFI_ERROR(s) || (info->Attribute & EFI_FILE_DIRECTORY)) {
        h->Close(h);
        *why = EFI_ERROR(s) ? "cannot get the file size" : "is a directory";
        return PLAT_FILE_ERROR;
    }
    the_file.h = h;
    *f = &the_file;
    *size = info->FileSize;
    return PLAT_FILE_OK;
}

int plat_file_read(struct plat_file *f, void *dst, uint64_t len, const char **why)
{
    /* One Read normally does it; loop in case the driver returns less. */
    uint64_t done = 0;
    EFI_STATUS s = EFI_SUCCESS;
    while (done < len) {
        UINTN chunk = len - done;
        read_calls++;
        s = f->h->Read(f->h, &chunk, (uint8_t *)dst + done);
        if (EFI_ERROR(s) || chunk == 0) break;
        done += chunk;
    }
    if (done != len) {
        *why = EFI_ERROR(s) ? efi_status_name(s) : "file shorter than its size";
        return -1;
    }
    return 0;
}

void plat_file_close(struct plat_file *f)
{
    f->h->Close(f->h);
    f->h = NULL;
}

uint32_t plat_disk_calls(void)
{
    return read_calls;
}

void plat_bench_raw_read(void *buf, uint64_t bytes, uint64_t *ticks, uint32_t *calls)
{
    (void)buf;
    (void)bytes;
    *ticks = 0;                /* the raw baseline is stage2's alone */
    *calls = 0;
}

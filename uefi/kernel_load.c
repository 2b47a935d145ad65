/* Kernel file -> verified -> placed at a 2 MiB-aligned physical range.
 * The file goes into temporary EfiLoaderData pages, which are given back
 * once the segments are copied, so the final map shows only the placed
 * image (MEM_OS_KERNEL -> BOOT_MEM_KERNEL). */
#include "kernel_load.h"
#include "alloc.h"
#include "volume.h"
#include "sha256.h"
#include "mem.h"

void kernel_load(EFI_FILE_HANDLE root, const struct boot_cfg *cfg, struct loaded_kernel *k)
{
    const char *path = cfg->kernel;
    const char *why;
    struct file_data f;

    memset(k, 0, sizeof *k);
    int r = file_read_all(root, path, &f, &why);
    if (r == FILE_NOT_FOUND) uefi_fatal("%s: not found", path);
    if (r != FILE_OK) uefi_fatal("%s: %s", path, why);
    k->file_size = f.size;
    k->read_ticks = f.read_ticks;
    k->read_calls = f.read_calls;
    const void *file = (const void *)(uintptr_t)f.addr;

    if (cfg->has_sha256) {
        uint8_t digest[SHA256_LEN];
        sha256(file, f.size, digest);
        if (memcmp(digest, cfg->kernel_sha256, SHA256_LEN) != 0)
            uefi_fatal("%s: sha256 mismatch", path);
        con_printf("hyboot: uefi kernel %s %llu bytes, sha256 ok\n", path, (unsigned long long)f.size);
    } else {
        con_printf("hyboot: uefi kernel %s %llu bytes, no kernel_sha256 in boot.cfg (not verified)\n",
                   path, (unsigned long long)f.size);
    }

    why = elf_plan(file, f.size, &k->plan);
    if (why) uefi_fatal("%s: %s", path, why);

    k->phys = alloc_aligned(MEM_OS_KERNEL, k->plan.span, ELF_SPAN_ALIGN);
    if (!k->phys)
        uefi_fatal("%s: out of memory (%llu KiB, 2 MiB aligned)", path,
                   (unsigned long long)(k->plan.span >> 10));
    elf_place(&k->plan, file, (void *)(uintptr_t)k->phys);
    file_free(&f);
    con_printf("hyboot: uefi kernel placed at 0x%llx, virt 0x%llx, %llu KiB, entry 0x%llx\n",
               (unsigned long long)k->phys, (unsigned long long)k->plan.vbase,
               (unsigned long long)(k->plan.span >> 10), (unsigned long long)k->plan.entry);
}

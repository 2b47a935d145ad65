/* The UEFI floor: a BOOTX64.EFI that exits QEMU at once through
 * isa-debug-exit (status 33). Booting it measures OVMF alone. */
#include <efi.h>
#include "io.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
    (void)image;
    (void)st;
    outb(QEMU_EXIT_PORT, QEMU_EXIT_PASS);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* State and helpers shared by the UEFI loader's files. Only this loader
 * includes gnu-efi's headers; the *_logic.c files stay EFI-free so the
 * host unit tests can build them. */
#ifndef HYBOOT_UEFI_H
#define HYBOOT_UEFI_H

#include <efi.h>
#include <stdint.h>

#define UEFI_LOADER_NAME "hyboot-uefi 0.1"

/* Set once at efi_main entry; valid until ExitBootServices. */
extern EFI_HANDLE efi_image;
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;

/* console.c: ASCII text on ConOut, which OVMF mirrors to the serial port.
 * '\n' becomes "\r\n". Never after ExitBootServices. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "hyboot: error: <msg>" and waits forever: interrupts stay on
 * so the screen and serial keep working, but the loader never returns
 * to firmware (which would try the next boot option or reboot). */
void uefi_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* After ExitBootServices: the same line straight to COM1, then cli; hlt. */
void uefi_fatal_after_exit(const char *msg) __attribute__((noreturn));
/* Short name of an EFI_STATUS for messages ("EFI_NOT_FOUND", ...). */
const char *efi_status_name(EFI_STATUS s);

static inline int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    for (unsigned i = 0; i < sizeof(EFI_GUID); i++)
        if (x[i] != y[i]) return 0;
    return 1;
}

#endif

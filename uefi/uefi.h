/* State and helpers shared by the UEFI loader's files. Only this loader
 * includes gnu-efi's headers; the *_logic.c files stay EFI-free so the
 * host unit tests can build them. */
#ifndef HYBOOT_UEFI_H
#define HYBOOT_UEFI_H

#include <efi.h>
#include <stdint.h>

/* Set once at efi_main entry; valid until ExitBootServices. */
extern EFI_HANDLE efi_image;
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;
extern EFI_HANDLE efi_boot_device;      /* LoadedImage->DeviceHandle */

/* console.c: progress lines on the screen too (boot.cfg verbose=1)? */
extern int uefi_verbose;
/* Set once boot services are gone: output is COM1 only from then on. */
extern int uefi_exited;

/* Short name of an EFI_STATUS for messages ("EFI_NOT_FOUND", ...). */
const char *efi_status_name(EFI_STATUS s);

static inline int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    for (unsigned i = 0; i < sizeof(EFI_GUID); i++)
        if (x[i] != y[i]) return 0;
    return 1;
}

/* volume.c: opens the root of the boot volume (fatal on failure). */
void volume_open(void);
/* secure_boot.c: enrols the keys in SB_KEYS_DIR when the machine is in
 * Setup Mode and the volume carries them, then restarts the machine. */
void secure_boot_enrol(void);

#endif

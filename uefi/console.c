/* Output for the UEFI loader. Progress lines go to the serial port only,
 * written straight to the UART the firmware set up: ConOut redraws a
 * graphical console glyph by glyph, which cost ~14 ms of a boot under
 * OVMF (docs/performance.md). boot.cfg's verbose=1 puts them on the
 * screen too. The error line goes to ConOut, the screen the user looks at
 * (firmware mirrors ConOut to its serial console where it has one);
 * after ExitBootServices everything goes to COM1. */
#include "uefi.h"
#include "fmt.h"
#include "loader.h"
#include "serial.h"

int uefi_verbose;
int uefi_exited;

static void con_write_ascii(const char *s)
{
    CHAR16 buf[64];
    unsigned n = 0;
    if (!efi_st || !efi_st->ConOut) return;
    for (; *s; s++) {
        /* Room for "\r\n" plus the terminator before flushing. */
        if (n + 3 >= sizeof buf / sizeof buf[0]) {
            buf[n] = 0;
            efi_st->ConOut->OutputString(efi_st->ConOut, buf);
            n = 0;
        }
        if (*s == '\n') buf[n++] = L'\r';
        buf[n++] = (CHAR16)(unsigned char)*s;
    }
    buf[n] = 0;
    if (n) efi_st->ConOut->OutputString(efi_st->ConOut, buf);
}

void plat_verbose(int on)
{
    uefi_verbose = on;
}

void plat_say(const char *text)
{
    serial_puts("hyboot: ");
    serial_puts(text);
    serial_puts("\n");
    if (uefi_verbose && !uefi_exited) {
        con_write_ascii("hyboot: ");
        con_write_ascii(text);
        con_write_ascii("\n");
    }
}

void plat_fail(const char *text)
{
    if (uefi_exited) {
        __asm__ volatile("cli");
        serial_puts("hyboot: error: ");
        serial_puts(text);
        serial_puts("\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    con_write_ascii("hyboot: error: ");
    con_write_ascii(text);
    con_write_ascii("\n");
    /* Interrupts stay on so the screen and serial keep working, but the
     * loader never returns to firmware (which would try the next boot
     * option or reboot). */
    for (;;) __asm__ volatile("hlt");
}

const char *efi_status_name(EFI_STATUS s)
{
    switch (s) {
    case EFI_SUCCESS: return "EFI_SUCCESS";
    case EFI_LOAD_ERROR: return "EFI_LOAD_ERROR";
    case EFI_INVALID_PARAMETER: return "EFI_INVALID_PARAMETER";
    case EFI_UNSUPPORTED: return "EFI_UNSUPPORTED";
    case EFI_BAD_BUFFER_SIZE: return "EFI_BAD_BUFFER_SIZE";
    case EFI_BUFFER_TOO_SMALL: return "EFI_BUFFER_TOO_SMALL";
    case EFI_NOT_READY: return "EFI_NOT_READY";
    case EFI_DEVICE_ERROR: return "EFI_DEVICE_ERROR";
    case EFI_WRITE_PROTECTED: return "EFI_WRITE_PROTECTED";
    case EFI_OUT_OF_RESOURCES: return "EFI_OUT_OF_RESOURCES";
    case EFI_VOLUME_CORRUPTED: return "EFI_VOLUME_CORRUPTED";
    case EFI_NO_MEDIA: return "EFI_NO_MEDIA";
    case EFI_MEDIA_CHANGED: return "EFI_MEDIA_CHANGED";
    case EFI_NOT_FOUND: return "EFI_NOT_FOUND";
    case EFI_ACCESS_DENIED: return "EFI_ACCESS_DENIED";
    case EFI_TIMEOUT: return "EFI_TIMEOUT";
    case EFI_ABORTED: return "EFI_ABORTED";
    case EFI_SECURITY_VIOLATION: return "EFI_SECURITY_VIOLATION";
    default: return "EFI error";
    }
}

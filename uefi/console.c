/* Console output for the loader: ConOut (screen, and the serial port
 * through OVMF's terminal driver) before ExitBootServices, COM1 directly
 * after it. Messages are ASCII, formatted with common/fmt.c. */
#include "uefi.h"
#include "fmt.h"
#include "serial.h"

#define LINE_MAX 320

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

void con_printf(const char *fmt, ...)
{
    char line[LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    con_write_ascii(line);
}

static void __attribute__((noreturn)) wait_forever(void)
{
    for (;;) __asm__ volatile("hlt");
}

void uefi_fatal(const char *fmt, ...)
{
    char line[LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    con_write_ascii("hyboot: error: ");
    con_write_ascii(line);
    con_write_ascii("\n");
    wait_forever();
}

void uefi_fatal_after_exit(const char *msg)
{
    __asm__ volatile("cli");
    serial_init();
    serial_puts("hyboot: error: ");
    serial_puts(msg);
    serial_puts("\n");
    for (;;) __asm__ volatile("cli; hlt");
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

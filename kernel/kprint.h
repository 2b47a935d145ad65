/* Kernel output: every line goes to COM1 and to the screen (framebuffer
 * console, VGA text, or nothing when the loader reported no display). */
#ifndef HYBOOT_KERNEL_KPRINT_H
#define HYBOOT_KERNEL_KPRINT_H

#include <stdint.h>

#include "boot_info.h"
#include "textcon.h"

#define KCOLOR_TEXT  0xc0c0c0
#define KCOLOR_HELLO 0xffffff
#define KCOLOR_PANIC 0xff5555
#define KCOLOR_OK    0x55ff55
#define KCOLOR_BG    0x000000

/* Sets up the screen the loader described. NULL on success (or when
 * there is no screen), else why the description was refused; output is
 * then serial only. */
const char *kprint_init_screen(const struct boot_framebuffer *fb);
/* From now on, serial only (a fault while drawing must not recurse). */
void kprint_serial_only(void);
void kprint_set_color(uint32_t rgb);
struct textcon *kprint_console(void);

void kputs(const char *s);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

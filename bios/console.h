/* stage2's output: every line goes to COM1 and, while the screen is in
 * VGA text mode, to the text buffer at 0xB8000 (written directly: much
 * faster than an INT 10h round trip per character). */
#ifndef HYBOOT_BIOS_CONSOLE_H
#define HYBOOT_BIOS_CONSOLE_H

void con_init(void);
/* Is there VGA text memory (probed by a write/read-back offscreen)? */
int con_has_vga_text(void);
/* Stop drawing on the screen (a VBE graphics mode is set). */
void con_graphics_mode(int on);

/* "hyboot: stage2 <message>" on a line of its own. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "hyboot: error: <message>", then halt with interrupts off, for good.
 * Switches a graphics screen back to text mode first so it is seen. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif

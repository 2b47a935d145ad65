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

/* plat_say and plat_fail (common/loader.h) are implemented here: a
 * progress line goes to COM1 and the text screen; the error line switches
 * a graphics screen back to text mode first so that it is seen, then
 * halts with interrupts off, for good. */

#endif

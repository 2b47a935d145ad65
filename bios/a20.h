/* The A20 gate: without it every odd megabyte aliases the one below. */
#ifndef HYBOOT_BIOS_A20_H
#define HYBOOT_BIOS_A20_H

/* Tries, in order: already on, BIOS INT 15h AX=2401h, the keyboard
 * controller's output port, "fast A20" (port 0x92), verifying with the
 * wrap-around test after each. Returns the name of the method that
 * worked, or NULL when none did. */
const char *a20_enable(void);

#endif

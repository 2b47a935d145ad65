/* The A20 gate: without it every odd megabyte aliases the one below. */
#ifndef HYBOOT_BIOS_A20_H
#define HYBOOT_BIOS_A20_H

/* Tries, in order: already on, BIOS INT 15h AX=2401h, the keyboard
 * controller's output port, "fast A20" (port 0x92), verifying with the
 * wrap-around test after each. Returns the name of the method that
 * worked, or NULL when none did. */
const char *a20_enable(void);

/* After a BIOS call (bios_call): if A20 was on and is off now, turns it
 * back on with the method that worked (reported once); dies if it cannot. */
void a20_recheck(void);

#endif

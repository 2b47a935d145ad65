/* The A20 gate: without it every odd megabyte aliases the one below. */
#ifndef HYBOOT_BIOS_A20_H
#define HYBOOT_BIOS_A20_H

/* Tries, in order: already on, BIOS INT 15h AX=2401h, the keyboard
 * controller's output port, "fast A20" (port 0x92), verifying with the
 * wrap-around test after each. Returns the name of the method that
 * worked, or NULL when none did. */
const char *a20_enable(void);

/* After a BIOS call: if A20 was on and is off now, turns it back on
 * (the method that worked first, then the others). 0 when A20 is on,
 * -1 when it could not be turned back on. Prints nothing: the caller
 * decides what a failure means. */
int a20_recheck(void);
/* How many times a BIOS call had switched A20 off (for the log). */
unsigned a20_restored_count(void);

#endif

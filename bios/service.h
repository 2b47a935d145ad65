/* A BIOS service call for code that uses memory above 1 MiB afterwards:
 * bios_call, then the A20 check. SeaBIOS, for one, restores port 0x92 to
 * what it found after each of its 32-bit excursions, and where port 0x92
 * and the keyboard controller are not ORed (QEMU) that switches A20 off;
 * the next write above 1 MiB would land in low memory. If A20 cannot be
 * turned back on, the boot ends with an error line. */
#ifndef HYBOOT_BIOS_SERVICE_H
#define HYBOOT_BIOS_SERVICE_H

#include "bioscall.h"

void bios_service(int vector, struct bios_regs *r);

#endif

/* COM1 at 115200 8N1, polled: each byte waits for the transmit holding
 * register to empty (LSR bit 5), as real UARTs need. '\n' goes out as
 * "\r\n". Used by stage2 and the kernel. */
#ifndef HYBOOT_SERIAL_H
#define HYBOOT_SERIAL_H

#include <stddef.h>

#define COM1_PORT 0x3f8

/* Returns 0, or -1 when no UART answers at COM1 (loopback test failed);
 * writes are then skipped so a machine without COM1 does not stall. */
int serial_init(void);
/* Uses COM1 as the firmware configured it (UEFI keeps its own serial
 * console on it): no reprogramming, only a presence check (a missing
 * UART reads 0xFF). 0, or -1 when absent; writes are skipped then. */
int serial_use_as_is(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
void serial_puts(const char *s);

#endif

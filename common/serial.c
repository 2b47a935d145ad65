/* COM1, polled, 115200 8N1 (see serial.h). */
#include "serial.h"

#include "io.h"

/* 16550 registers, offsets from the base port */
#define UART_DATA 0 /* THR/RBR, or divisor low byte when DLAB=1 */
#define UART_IER  1 /* interrupt enable, or divisor high byte when DLAB=1 */
#define UART_FCR  2 /* FIFO control (write) */
#define UART_IIR  2 /* interrupt identification (read): bits 7-6 = 11 when the FIFOs are on */
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define LSR_THR_EMPTY 0x20

/* -1 until serial_init found a UART; writes before init still go out
 * (QEMU and most firmware leave COM1 usable), writes after a failed
 * init are dropped. */
static int serial_state;
/* Bytes the UART takes before we must poll again: with its FIFOs on, an
 * empty transmit side (LSR THRE) has room for 16 (a 16550A's FIFO),
 * otherwise for one. Every port access is a VM exit under emulation,
 * so one LSR read per 16 bytes halves the cost of a line. */
static unsigned tx_burst = 1, tx_room;

static void detect_fifo(void)
{
    tx_burst = (inb(COM1_PORT + UART_IIR) & 0xc0) == 0xc0 ? 16 : 1;
    tx_room = 0;
}

int serial_init(void)
{
    const uint16_t p = COM1_PORT;
    outb(p + UART_IER, 0x00);     /* no interrupts: we poll */
    outb(p + UART_LCR, 0x80);     /* DLAB on */
    outb(p + UART_DATA, 0x01);    /* divisor 1 = 115200 baud */
    outb(p + UART_IER, 0x00);
    outb(p + UART_LCR, 0x03);     /* 8 data bits, no parity, 1 stop, DLAB off */
    outb(p + UART_FCR, 0xc7);     /* FIFOs on and cleared, 14-byte threshold */
    outb(p + UART_MCR, 0x1e);     /* loopback mode for the presence test */
    outb(p + UART_DATA, 0xae);
    /* the byte comes straight back in loopback; give a slow UART time
     * (Bochs's takes far longer than 1000 polls; a real one answers at
     * once, and a missing one reads 0xFF and fails the compare) */
    int ok = 0;
    for (int i = 0; i < 100000 && !ok; i++)
        ok = (inb(p + UART_LSR) & 0x01) && inb(p + UART_DATA) == 0xae;
    if (!ok) {
        serial_state = -1;
        return -1;
    }
    outb(p + UART_MCR, 0x0f);     /* normal mode: DTR, RTS, OUT1, OUT2 */
    detect_fifo();
    serial_state = 1;
    return 0;
}

int serial_use_as_is(void)
{
    serial_state = inb(COM1_PORT + UART_LSR) == 0xff ? -1 : 1;
    if (serial_state > 0)
        detect_fifo();         /* as the firmware set it up */
    return serial_state < 0 ? -1 : 0;
}

static void put_raw(char c)
{
    /* Wait for the transmit side to empty. Bounded, so a UART that stops
     * answering cannot hang the boot forever. */
    if (!tx_room) {
        for (unsigned i = 0; i < 1000000; i++) {
            if (inb(COM1_PORT + UART_LSR) & LSR_THR_EMPTY)
                break;
        }
        tx_room = tx_burst;
    }
    tx_room--;
    outb(COM1_PORT + UART_DATA, (uint8_t)c);
}

void serial_putc(char c)
{
    if (serial_state < 0)
        return;
    if (c == '\n')
        put_raw('\r');
    put_raw(c);
}

/* A string starts with a fresh look at the UART: firmware (UEFI's
 * ConOut on the same port) may have written between two calls. */
void serial_write(const char *s, size_t n)
{
    tx_room = 0;
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
}

void serial_puts(const char *s)
{
    tx_room = 0;
    while (*s)
        serial_putc(*s++);
}

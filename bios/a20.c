#include "a20.h"

#include <stdint.h>

#include "bioscall.h"
#include "io.h"

/* With A20 off, 0x100500 is 0x000500. Write two different values and
 * see whether they land in the same place; restore both afterwards
 * (high first: if they alias, the low value restored last is right). */
static int a20_is_on(void)
{
    volatile uint32_t *lo = (volatile uint32_t *)0x000500;
    volatile uint32_t *hi = (volatile uint32_t *)0x100500;
    uint32_t save_lo = *lo, save_hi = *hi;
    *lo = 0x48594c4f;
    *hi = 0x48594849;
    __asm__ volatile("" ::: "memory");
    int on = *lo != *hi;
    *hi = save_hi;
    *lo = save_lo;
    return on;
}

/* Some controllers take a while: look again for a bounded time. */
static int a20_wait_on(void)
{
    for (int i = 0; i < 100000; i++) {
        if (a20_is_on())
            return 1;
        io_wait();
    }
    return 0;
}

static void kbc_wait_input_empty(void)
{
    for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
        io_wait();
}

static void kbc_enable_a20(void)
{
    kbc_wait_input_empty();
    outb(0x64, 0xad);          /* disable the keyboard while we talk */
    kbc_wait_input_empty();
    outb(0x64, 0xd1);          /* next data byte goes to the output port */
    kbc_wait_input_empty();
    outb(0x60, 0xdf);          /* A20 on, CPU reset line inactive */
    kbc_wait_input_empty();
    outb(0x64, 0xae);          /* keyboard back on */
    kbc_wait_input_empty();
}

const char *a20_enable(void)
{
    if (a20_is_on())
        return "already on";

    struct bios_regs r = { .eax = 0x2401 };
    bios_call(0x15, &r);
    if (!(r.eflags & EFLAGS_CF) && a20_wait_on())
        return "BIOS INT 15h AX=2401h";

    kbc_enable_a20();
    if (a20_wait_on())
        return "keyboard controller";

    uint8_t v = inb(0x92);
    if (!(v & 0x02))
        outb(0x92, (uint8_t)((v | 0x02) & ~0x01));   /* bit 0 would reset the machine */
    if (a20_wait_on())
        return "fast A20 (port 0x92)";
    return 0;
}

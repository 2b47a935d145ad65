/* bios_call: the real-mode round trip plus the A20 check (bioscall.h). */
#include "bioscall.h"

#include "a20.h"

void bios_call(int vector, struct bios_regs *r)
{
    bios_call_rm(vector, r);
    a20_recheck();
}

#include "service.h"

#include "a20.h"
#include "loader.h"

void bios_service(int vector, struct bios_regs *r)
{
    bios_call(vector, r);
    if (a20_recheck() < 0)
        die("A20 was switched off by a BIOS call (INT %02xh) and cannot be turned back on",
            (unsigned)vector);
}

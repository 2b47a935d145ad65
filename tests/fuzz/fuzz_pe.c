/* The UEFI loader's PE/COFF check (common/pe.c), for both machines
 * mkimage installs loaders for. */
#include <stdint.h>

#include "pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pe_info info;
    if (!pe_check(data, size, PE_MACHINE_X64, &info) && (info.sections == 0 || info.sections > PE_MAX_SECTIONS))
        __builtin_trap();
    if (!pe_check(data, size, PE_MACHINE_I386, &info) && info.machine != PE_MACHINE_I386)
        __builtin_trap();
    return 0;
}

/* Built once per variant: -DKERNEL_VARIANT_ALT for kernel-alt.elf. */
#include "variant.h"

#ifdef KERNEL_VARIANT_ALT
const char kernel_variant[] = "alt";
#else
const char kernel_variant[] = "";
#endif

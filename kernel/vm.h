/* Reading the page tables the loader built (they are identity-mapped, so
 * their physical addresses are usable pointers). */
#ifndef HYBOOT_KERNEL_VM_H
#define HYBOOT_KERNEL_VM_H

#include <stdint.h>

/* Physical address virt maps to under the current CR3; 0 in *ok when
 * not mapped. */
uint64_t vm_translate(uint64_t virt, int *ok);

/* Same, and the size of the page that maps it (4 KiB, 2 MiB, 1 GiB). */
uint64_t vm_translate_page(uint64_t virt, int *ok, uint64_t *page_size);

/* Is every page of [phys, phys+len) identity-mapped? Checked before the
 * kernel dereferences a physical address a loader handed it, so a bad
 * pointer is a reported failure rather than a page fault. */
int vm_identity(uint64_t phys, uint64_t len);

/* A canonical address that is not mapped (for crash=pf); 0 if every
 * 512 GiB and 1 GiB slot we looked at is mapped. */
uint64_t vm_find_unmapped(void);

#endif

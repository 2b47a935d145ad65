/* SBAT (shim's "Secure Boot Advanced Targeting"): shim 15.3 and later
 * start only a binary with an .sbat section, a CSV of component
 * generations that a revocation can raise past. The first line is the
 * format's own, the second hyboot's; raise hyboot's generation (the
 * second field) when a loader bug must be revoked for shim users.
 * docs/secure-boot.md, shim + MOK. Only BOOTX64.EFI carries the section
 * (uefi/build.mk): shim is x86-64 here, and in the i386 link the section
 * would land at an address that is not page-aligned. */
static const char sbat[] __attribute__((used, section(".sbat"), aligned(1))) =
    "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
    "hyboot,1,hyboot,hyboot,0.2,docs/secure-boot.md\n";

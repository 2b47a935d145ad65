# kernel/ build rules (see the top-level Makefile)

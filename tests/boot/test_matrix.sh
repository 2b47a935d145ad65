#!/usr/bin/env bash
# The boot matrix as part of `make test` (QUICK=1: the rows marked 'q').
exec "$(dirname "$0")/matrix.sh" $([ "${QUICK:-0}" = 1 ] && echo --quick)

#!/usr/bin/env bash
# make test's fuzz pass: every target over its committed corpus (seeds and
# the inputs of past findings), then a few seconds of mutation each; a
# crash, hang or sanitizer report fails the suite. make fuzz runs longer.
exec "$(dirname "$0")/run.sh" --quick

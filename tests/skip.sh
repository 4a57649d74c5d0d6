#!/bin/sh
# skip.sh REASON… — stands in for a test program that cannot run here (a
# tool is not installed): says so as TAP, so that meson and tests/run-all.sh
# count it as skipped, loudly, instead of it vanishing.
echo "1..0 # SKIP $*"
echo "skipped: $*" >&2

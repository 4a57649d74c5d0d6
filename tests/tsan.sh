#!/usr/bin/env bash
# The trainer's tests under ThreadSanitizer: builds test-trainer in its own
# build directory (build-tsan/, meson -Db_sanitize=thread) and runs it;
# any data race fails the run.  Usage: bash tests/tsan.sh [test-trainer options]
#
# GLib's mutexes are futexes TSan cannot see: the trainer marks its two
# hand-offs (command queue, main loop) with __tsan_release/__tsan_acquire
# and has TSan ignore GLib's own allocations inside them.
# OpenBLAS is not instrumented: it runs on one thread here.  The engine's
# multi-versioned loops are off (MH_NO_TARGET_CLONES): their ifunc
# resolvers would run instrumented code before TSan has started.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build-tsan
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" -Db_sanitize=thread -Dbuildtype=debugoptimized -Db_lundef=false \
    -Dc_args=-DMH_NO_TARGET_CLONES >/dev/null
fi
ninja -C "$dir" tests/test-trainer >/dev/null

export OPENBLAS_NUM_THREADS=1
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export G_DEBUG=gc-friendly
export G_SLICE=always-malloc   # GSlice's magazines hand memory between threads behind futexes too
"$dir/tests/test-trainer" "$@"
echo "ThreadSanitizer: no data race in test-trainer"

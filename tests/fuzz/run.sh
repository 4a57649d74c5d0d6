#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# and runs each for a while on its seed corpus.
#   bash tests/fuzz/run.sh [--tap] [SECONDS] [TARGET…]   default: 60 s, every target
# Targets: project (the .mhproj parser), safetensors (the weights reader),
# checkpoint (a checkpoint read and resumed), idx (the IDX reader), csv (the
# CSV reader and labels.csv as an image folder reads its header), image (an
# image file as a model's input: gdk-pixbuf behind the size limits and the
# SVG check), labels (an image folder loaded whole: paths kept inside it,
# images decoded, rows left out summarised), dict (the german-nouns data
# set's dictd reader).  Needs clang and
# libfuzzer-14-dev (Debian 12).
# --tap: a TAP line per target (the test suite's short run: meson test
# fuzz-short, in tests/run-all.sh's count); a finding fails it.
# The build goes to $FUZZ_OUT (default build-fuzz/); the corpus grows in
# $FUZZ_OUT/corpus/<target> (seeded from tests/fuzz/corpus/<target>); crashes
# land in $FUZZ_OUT/crashes/<target>/ — copy each into
# tests/fuzz/regressions/<target>/, where test-fuzz-regressions replays them.
set -euo pipefail
cd "$(dirname "$0")/../.."
tap=0
if [ "${1:-}" = --tap ]; then tap=1; shift; fi
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(project safetensors checkpoint idx csv image labels dict)

if ! command -v "${CC:-clang}" >/dev/null; then
  [ $tap -eq 1 ] && { echo "1..0 # SKIP clang is not installed (bash .ci/setup installs it)"; exit 0; }
  echo "run.sh: needs clang and libfuzzer-14-dev" >&2; exit 1
fi
[ $tap -eq 1 ] && echo "1..${#targets[@]}"

out=${FUZZ_OUT:-build-fuzz}
mkdir -p "$out/obj"
CC=${CC:-clang}
san="-march=x86-64-v2 -Wno-psabi -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
pkgs="glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0 gdk-pixbuf-2.0 cairo openblas"
cflags="$(pkg-config --cflags $pkgs) -std=gnu11 -D_GNU_SOURCE -DMH_NO_TARGET_CLONES -DMH_FASHION_MNIST_DIR=\"/usr/share/datasets/fashion-mnist\" -DMH_SOURCE_DIR=\"$PWD\" -DMH_DATA_DIR=\"/usr/local/share/multihead-studio\" -DGETTEXT_PACKAGE=\"multihead-studio\" -DMH_LOCALE_DIR=\"/usr/local/share/locale\" $(for d in engine/*/; do printf -- " -I%s" "${d%/}"; done)"
libs="$(pkg-config --libs $pkgs) -lm"

# The Python text export-torch writes, as meson compiles it in.
glib-compile-resources --sourcedir engine/io/torch --c-name mh_torch --generate-header \
  --target "$out/mh-torch-resources.h" engine/io/torch/mh-torch.gresource.xml
glib-compile-resources --sourcedir engine/io/torch --c-name mh_torch --generate-source \
  --target "$out/mh-torch-resources.c" engine/io/torch/mh-torch.gresource.xml
cflags="$cflags -I$out"

# The engine, instrumented for coverage (fuzzer-no-link) and the sanitizers.
objs=()
# the sources engine/meson.build lists (not whatever else is in the folder)
for src in $(grep -o "'[a-z]*/mh-[a-z0-9-]*\.c'" engine/meson.build | tr -d "'" | sed 's|^|engine/|') "$out/mh-torch-resources.c"; do
  obj="$out/obj/$(basename "${src%.c}").o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find engine -name '*.h' -newer "$obj" -print -quit)" ]; then
    extra=""
    # clang refuses its 16-float vector helpers without AVX-512; the
    # targets never run a convolution, so any CPU runs them anyway.
    [ "$src" = engine/layers/mh-layer-conv-direct.c ] && extra="-mavx512f"
    $CC $san $extra -fsanitize=fuzzer-no-link $cflags -c "$src" -o "$obj" >&2
  fi
  objs+=("$obj")
done

n=0
for t in "${targets[@]}"; do
  n=$((n + 1))
  $CC $san -fsanitize=fuzzer $cflags "tests/fuzz/fuzz-$t.c" "${objs[@]}" $libs -o "$out/fuzz-$t" >&2
  mkdir -p "$out/corpus/$t" "$out/crashes/$t"
  echo "fuzz-$t: $seconds s" >&2
  status=0
  # a memory budget under libFuzzer's own limits, so that a file's sizes are refused, not fatal
  MH_MEMORY_LIMIT=${MH_MEMORY_LIMIT:-768M} \
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$out/fuzz-$t" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -timeout=10 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$out/crashes/$t/" "$out/corpus/$t" "tests/fuzz/corpus/$t" \
      2> "$out/fuzz-$t.log" >&2 || status=$?   # stdout too: only TAP lines on ours
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-$t.log" | tail -1)
  grep -E "stat::number_of_executed_units|stat::new_units_added|SUMMARY|ERROR" "$out/fuzz-$t.log" >&2 || true
  if [ $status -eq 0 ]; then
    [ $tap -eq 1 ] && echo "ok $n fuzz-$t: ${runs:-0} runs in $seconds s, no finding"
  else
    echo "fuzz-$t: found a problem (exit $status), see $out/fuzz-$t.log and $out/crashes/$t/" >&2
    [ $tap -eq 1 ] && echo "not ok $n fuzz-$t: a finding (exit $status), see $out/fuzz-$t.log"
  fi
done
exit 0

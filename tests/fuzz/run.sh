#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# and runs each for a while on its seed corpus.
#   bash tests/fuzz/run.sh [SECONDS] [TARGET…]     default: 60 s, every target
# Targets: project (the .mhproj parser), safetensors (the weights reader),
# idx (the IDX reader), csv (the CSV reader and labels.csv as an image
# folder reads it).  Needs clang and libfuzzer-14-dev (Debian 12).
# The build goes to build-fuzz/; the corpus grows in build-fuzz/corpus/<target>
# (seeded from tests/fuzz/corpus/<target>); crashes land in
# build-fuzz/crashes/<target>/ — copy each into tests/fuzz/regressions/<target>/,
# where test-fuzz-regressions replays them.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(project safetensors idx csv)

out=build-fuzz
mkdir -p "$out/obj"
CC=${CC:-clang}
san="-march=x86-64-v2 -Wno-psabi -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
pkgs="glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0 gdk-pixbuf-2.0 cairo openblas"
cflags="$(pkg-config --cflags $pkgs) -std=gnu11 -DMH_NO_TARGET_CLONES -DMH_FASHION_MNIST_DIR=\"/usr/share/datasets/fashion-mnist\" -DMH_SOURCE_DIR=\"$PWD\" $(for d in engine/*/; do printf -- " -I%s" "${d%/}"; done)"
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
    $CC $san $extra -fsanitize=fuzzer-no-link $cflags -c "$src" -o "$obj"
  fi
  objs+=("$obj")
done

for t in "${targets[@]}"; do
  $CC $san -fsanitize=fuzzer $cflags "tests/fuzz/fuzz-$t.c" "${objs[@]}" $libs -o "$out/fuzz-$t"
  mkdir -p "$out/corpus/$t" "$out/crashes/$t"
  echo "fuzz-$t: $seconds s" >&2
  status=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$out/fuzz-$t" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -timeout=10 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$out/crashes/$t/" "$out/corpus/$t" "tests/fuzz/corpus/$t" \
      2> "$out/fuzz-$t.log" || status=$?
  grep -E "stat::number_of_executed_units|stat::new_units_added|SUMMARY|ERROR" "$out/fuzz-$t.log" >&2 || true
  [ $status -eq 0 ] || echo "fuzz-$t: found a problem (exit $status), see $out/fuzz-$t.log and $out/crashes/$t/" >&2
done

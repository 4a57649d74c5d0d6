#!/usr/bin/env bash
# Runs every bad-input case (tests/bad-inputs/cases/*.case) against the
# program and prints TAP, one line per case (meson test bad-inputs, in
# tests/run-all.sh's count).
#   bash tests/bad-inputs/run.sh [BINARY] [CASE…]
# Each case runs in a fresh folder holding a small project and what it names
# (base_files below), with MH_MEMORY_LIMIT=2G, no display and a 6 GiB cap on
# virtual memory, and asserts: the exit status, that stderr names the file
# and the field (the case's `mentions`, fixed strings), and that no file of
# the user's changed, appeared or went (except the case's `changes`).
#
# A case is bash, sourced in that folder:
#   setup () { …make its files… }          optional
#   cmd=(train p.mhproj --steps 1)         the program's arguments
#   status=1                               the exit status wanted
#   mentions=("p.mhproj" "training.batch") what stderr must say
#   changes=(w.safetensors)                files that may change or appear
#   check () { …more assertions… }         optional; fails with a message
#   wrap=(as_unprivileged)                 optional: what runs the program (a
#                                          function below, ending in exec "$@")
#   custom () { … }                        optional: does it all itself
#   skip "reason"                          in setup or custom: cannot run here
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${MH_BINARY:-$here/../../build/app/multihead-studio}}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$here"/cases/*.case)
for i in "${!cases[@]}"; do cases[$i]=$(cd "$(dirname "${cases[$i]}")" && pwd)/$(basename "${cases[$i]}"); done
make_py () { /usr/bin/python3 "$here/make.py" "$@"; }
export -f make_py 2>/dev/null || true
# Wrappers for `wrap`: without root's right to write anywhere (root keeps
# its uid, so its files stay its own, but loses every capability, so a
# folder's mode holds for it too); with a limit on the size of files
# (SIGXFSZ ignored: writes past it fail with EFBIG, as on a full disk).
as_unprivileged () {
  if [ "$(id -u)" -eq 0 ]; then exec setpriv --bounding-set=-all --inh-caps=-all -- "$@"; fi
  exec "$@"
}
file_limit () { local kib=$1; shift; trap '' XFSZ; ulimit -f "$kib"; exec "$@"; }
export MH_MEMORY_LIMIT=2G
unset DISPLAY WAYLAND_DISPLAY

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mh-bad-inputs-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The user's files every case starts from: a tiny project on generated data,
# its weights, an image folder and a file outside it.
base=$tmp/base
mkdir -p "$base/imgs"
cat > "$base/p.mhproj" <<'EOF'
{ "format": 1, "name": "tiny",
  "dataset": { "kind": "shapes", "size": 16, "train": 32, "test": 8 },
  "backbone": { "layers": [ { "type": "flatten" }, { "type": "dense", "units": 16 }, { "type": "relu" } ] },
  "heads": [ { "name": "shape", "target": "shape", "layers": [ { "type": "dense" } ] } ],
  "training": { "batch": 8, "epochs": 1 } }
EOF
cat > "$base/f.mhproj" <<'EOF'
{ "format": 1, "name": "folder",
  "dataset": { "kind": "image-folder", "path": "imgs", "width": 8, "height": 8, "test_fraction": 0 },
  "backbone": { "layers": [ { "type": "flatten" } ] },
  "heads": [ { "name": "colour", "target": "colour", "layers": [ { "type": "dense" } ] } ],
  "training": { "batch": 2, "epochs": 1 } }
EOF
make_py png "$base/imgs/a.png" 8 8 200 30 30
make_py png "$base/imgs/b.png" 8 8 30 30 200
make_py png "$base/secret.png" 8 8 0 0 0
printf 'file,colour\na.png,red\nb.png,blue\n' > "$base/imgs/labels.csv"
if ! (cd "$base" && "$bin" train p.mhproj --steps 1 --save w.safetensors >/dev/null 2>"$tmp/base.err"); then
  echo "1..0 # SKIP the program cannot train the base project: $(tail -1 "$tmp/base.err")"
  exit 0
fi

echo "1..${#cases[@]}"
n=0
for c in "${cases[@]}"; do
  n=$((n + 1))
  title=$(sed -n 's/^# *//p;q' "$c")
  work=$tmp/case$n
  cp -a "$base" "$work"
  result=$(
    cd "$work" || exit 1
    unset -f setup check custom
    cmd=() status=0 mentions=() changes=() wrap=()
    # shellcheck source=/dev/null
    . "$c"
    fail () { echo "$*"; exit 1; }
    skip () { echo "$*"; exit 77; }
    if declare -f custom >/dev/null; then
      custom || exit 1
      exit 0
    fi
    if declare -f setup >/dev/null; then setup || fail "setup failed"; fi
    make_py snapshot . "$tmp/snap$n"
    ( ulimit -v $((6 << 20)); [ ${#wrap[@]} -eq 0 ] || "${wrap[@]}" timeout 120 "$bin" "${cmd[@]}"; exec timeout 120 "$bin" "${cmd[@]}" ) > "$tmp/out$n" 2> "$tmp/err$n"
    got=$?
    [ "$got" -eq "$status" ] || fail "exit status $got, wanted $status: $(head -c 400 "$tmp/err$n")"
    for m in "${mentions[@]}"; do
      grep -qF -- "$m" "$tmp/err$n" || fail "stderr does not say '$m': $(head -c 400 "$tmp/err$n")"
    done
    changed=$(make_py unchanged . "$tmp/snap$n" "${changes[@]}") || fail "$changed"
    if declare -f check >/dev/null; then
      out=$tmp/out$n err=$tmp/err$n check || exit 1
    fi
    exit 0
  )
  got=$?
  if [ $got -eq 0 ]; then
    echo "ok $n - $(basename "$c" .case): $title"
  elif [ $got -eq 77 ]; then
    echo "ok $n - $(basename "$c" .case): $title # SKIP $(printf '%s' "$result" | tail -1)"
  else
    echo "not ok $n - $(basename "$c" .case): $title"
    printf '%s\n' "$result" | sed 's/^/# /'
  fi
  rm -rf "$work"
done

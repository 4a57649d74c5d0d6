#!/bin/bash
# run-bench.sh — our engine against the identical PyTorch model, side by side
# (docs/ARCHITECTURE.md, "Reference models"; docs/testing.md).  A report, not
# a test: timings never fail it; it exits non-zero only when a program fails
# to run.
#
#   tests/bench/run-bench.sh [--steps N] [--epochs N] [--threads N] [--no-forward] [--no-build]
#                            [PROJECT...]
#
#   --steps N     timed training steps of each side (default 300)
#   --epochs N    train N full epochs instead and compare test accuracy too
#   --threads N   threads of each side (default 2)
#   --no-forward  skip the batch-1 forward latency comparison
#   --no-build    use the build directory as it is
#   --sequences   the sequence examples (their peer is peer_torch_seq.py on the model
#                 export-torch writes)
#   PROJECT       .mhproj files (default: fashion-mlp, fashion-cnn and fashion-vit from
#                 resources/examples; --sequences: the four German-nouns and sensors examples
#                 and tests/bench/german-nouns-lstm.mhproj: GRU, transformer, conv1d, LSTM)
#
# Both sides run on the same OpenBLAS kernels: an OPENBLAS_CORETYPE of the
# environment is unset for the benchmark's runs (ours picks its kernels as
# OpenBLAS detects the CPU), and the peer gets OPENBLAS_CORETYPE set to the
# core our engine reports (`blas_core`).  The table also goes to
# build/bench-report.txt.  The peer waits passively for OpenMP work unless
# OMP_WAIT_POLICY is set (see peer_torch.py).  Environment: MH_FASHION_MNIST_DIR (the data),
# MH_BENCH_BUILD_DIR (default build), PYTHON (default /usr/bin/python3, the
# one with Debian's python3-torch).

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
build=${MH_BENCH_BUILD_DIR:-build}

usage() { sed -n '6,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { echo "run-bench: $*" >&2; exit 2; }

steps=300 epochs= threads=2 forward=1 build_it=1 sequences=
projects=()
while [ $# -gt 0 ]; do
  case $1 in
    --steps) [ $# -ge 2 ] || die "--steps needs a value"; steps=$2; shift 2 ;;
    --steps=*) steps=${1#*=}; shift ;;
    --epochs) [ $# -ge 2 ] || die "--epochs needs a value"; epochs=$2; shift 2 ;;
    --epochs=*) epochs=${1#*=}; shift ;;
    --threads) [ $# -ge 2 ] || die "--threads needs a value"; threads=$2; shift 2 ;;
    --threads=*) threads=${1#*=}; shift ;;
    --no-forward) forward=; shift ;;
    --no-build) build_it=; shift ;;
    --sequences) sequences=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; projects+=("$@"); break ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) projects+=("$1"); shift ;;
  esac
done
for v in "$steps" "$threads" ${epochs:+"$epochs"}; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || die "'$v' is not a positive whole number"
done

# Projects given relative to where we were called from; then work from the root.
for i in "${!projects[@]}"; do
  p=${projects[$i]}
  [ -f "$p" ] || die "$p: no such project file"
  projects[$i]=$(cd "$(dirname "$p")" && pwd)/$(basename "$p")
done
cd "$root" || exit 2
if [ ${#projects[@]} -eq 0 ] && [ -n "$sequences" ]; then
  for e in german-nouns-gru german-nouns-transformer sensors-multihead-conv sensors-gru; do
    projects+=("$root/resources/examples/$e.mhproj")
  done
  # nn.LSTM's peer: the GRU example with an LSTM of about as many parameters
  projects+=("$here/german-nouns-lstm.mhproj")
fi
[ ${#projects[@]} -gt 0 ] ||
  projects=("$root/resources/examples/fashion-mlp.mhproj" "$root/resources/examples/fashion-cnn.mhproj" "$root/resources/examples/fashion-vit.mhproj")
[ -x "$py" ] || die "$py not found (Debian's python3 with python3-torch)"

if [ -n "$build_it" ]; then
  if [ ! -d "$build" ]; then
    meson setup "$build" >&2 || { echo "run-bench: meson setup failed" >&2; exit 1; }
  fi
  meson compile -C "$build" >&2 || { echo "run-bench: build failed" >&2; exit 1; }
fi

engine=$build/app/multihead-studio
bench_forward=$build/tests/bench/mh-bench-forward
peer=$here/peer_torch.py
work=$(mktemp -d "${TMPDIR:-/tmp}/mh-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
failed=0

if [ -n "$epochs" ]; then mode=(--epochs "$epochs"); else mode=(--steps "$steps"); fi
# Some machines set it for everything: not for our runs (the report says so).
user_core=${OPENBLAS_CORETYPE-}
unset OPENBLAS_CORETYPE

# The value at a dotted path of the JSON object on the last non-empty line of
# a file; nothing when absent.  Fails when that line is not JSON.
json_get() {
  "$py" - "$1" "$2" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1], errors="replace").read().splitlines() if l.strip()]
v = json.loads(lines[-1]) if lines else None
if not isinstance(v, dict):
    sys.exit(1)
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)
EOF
}

# run NAME OUT KEY CMD... — run a program with its stdout in OUT and its
# progress on our stderr.  A failure (exit status, or a last line that is not
# a JSON object with KEY) is counted and leaves OUT empty.
run() {
  local name=$1 out=$2 key=$3 status; shift 3
  echo "run-bench: $name: $*" >&2
  "$@" >"$out"
  status=$?
  if [ $status -ne 0 ]; then
    echo "run-bench: $name failed (exit status $status)" >&2
  elif [ -z "$(json_get "$out" "$key" 2>/dev/null)" ]; then
    echo "run-bench: $name: the last line on stdout is not a JSON object with \"$key\"" >&2
  else
    return 0
  fi
  failed=1; : >"$out"; return 1
}

n=0
for proj in "${projects[@]}"; do
  n=$((n + 1))
  ours=$work/$n.ours.json theirs=$work/$n.peer.json
  fours=$work/$n.ours-fwd.json ftheirs=$work/$n.peer-fwd.json
  : >"$ours"; : >"$theirs"; : >"$fours"; : >"$ftheirs"
  echo "$proj" >"$work/$n.project"

  run "ours" "$ours" train_samples_per_s "$engine" train "$proj" "${mode[@]}" --threads "$threads" --json --no-record
  core=$(json_get "$ours" blas_core 2>/dev/null)
  # Without a core from our side (it failed), the peer keeps OpenBLAS's own choice.
  peer_env=()
  [ -n "$core" ] && peer_env=(env "OPENBLAS_CORETYPE=$core")
  # a sequence project's peer runs the model export-torch writes
  kind=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["dataset"]["kind"])' "$proj" 2>/dev/null)
  peer_cmd=("$py" "$peer" "$proj")
  case $kind in
    german-nouns|sensors|sensor-csv)
      mkdir -p "$work/$n.model"
      "$engine" export-torch "$proj" --out "$work/$n.model" >&2 || failed=1
      peer_cmd=("$py" "$here/peer_torch_seq.py" "$proj" --model-dir "$work/$n.model")
      [ -z "$epochs" ] || echo "run-bench: $proj: the sequence peer trains on random labels: its accuracy is not compared" >&2
      ;;
  esac
  run "pytorch" "$theirs" train_samples_per_s "${peer_env[@]}" "${peer_cmd[@]}" "${mode[@]}" --threads "$threads"

  if [ -n "$forward" ]; then
    run "ours forward" "$fours" forward_ms "$bench_forward" "$proj" --threads "$threads" --json
    run "pytorch forward" "$ftheirs" forward_ms "${peer_env[@]}" "${peer_cmd[@]}" --forward-latency --threads "$threads"
  fi
done

mkdir -p "$build"
"$py" - "$work" "$n" "$threads" "${epochs:-}" "$steps" "$user_core" "${forward:-}" <<'EOF' | tee "$build/bench-report.txt"
import json, os, platform, sys, time

work, n, threads, epochs, steps, user_core, forward = sys.argv[1:8]
TARGETS = {"mlp": "4x", "cnn": "2.5x", "vit": "4x", "german-nouns": "3x", "sensors": "3x"}

def load(path):
    try:
        lines = [l for l in open(path).read().splitlines() if l.strip()]
        return json.loads(lines[-1]) if lines else {}
    except (OSError, ValueError):
        return {}

def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"

def num(v, fmt):
    return format(v, fmt) if isinstance(v, (int, float)) else "FAILED"

rows, fwd = [], []
for i in range(1, int(n) + 1):
    path = open(f"{work}/{i}.project").read().strip()
    name = os.path.basename(path).removesuffix(".mhproj")
    ours, peer = load(f"{work}/{i}.ours.json"), load(f"{work}/{i}.peer.json")
    a, b = ours.get("train_samples_per_s"), peer.get("train_samples_per_s")
    target = next((t for k, t in TARGETS.items() if k in name), "-")
    row = [name, num(a, ",.0f"), num(b, ",.0f"),
           f"{a / b:.2f}x" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else "-",
           target, str(ours.get("blas_core") or peer.get("blas_core") or "?")]
    if epochs:
        oa = ours.get("heads", {}).get("category", {}).get("test_acc")
        pa = peer.get("heads", {}).get("category", {}).get("test_acc")
        row += [num(oa * 100 if oa is not None else None, ".2f"),
                num(pa * 100 if pa is not None else None, ".2f"),
                f"{(oa - pa) * 100:+.2f}" if oa is not None and pa is not None else "-"]
    rows.append(row)
    if forward:
        fo, fp = load(f"{work}/{i}.ours-fwd.json"), load(f"{work}/{i}.peer-fwd.json")
        x, y = fo.get("forward_ms"), fp.get("forward_ms")
        fwd.append([name, num(x, ".3f"), num(y, ".3f"),
                    f"{y / x:.2f}x" if isinstance(x, (int, float)) and isinstance(y, (int, float)) and x else "-"])

def table(head, body):
    w = [max(len(r[c]) for r in [head] + body) for c in range(len(head))]
    line = lambda r: "  ".join(s.ljust(w[c]) if c == 0 else s.rjust(w[c]) for c, s in enumerate(r))
    return "\n".join([line(head), "  ".join("-" * x for x in w)] + [line(r) for r in body])

peers = [load(f"{work}/{i}.peer.json") for i in range(1, int(n) + 1)]
torch_v = next((p["torch"] for p in peers if p.get("torch")), "?")
omp = next((p["omp_wait_policy"] for p in peers if p.get("omp_wait_policy")), "?")
what = f"{epochs} epoch(s), samples/s over all of them" if epochs else f"{steps} timed steps"
print(f"Multihead Studio vs PyTorch {torch_v} — {time.strftime('%Y-%m-%d %H:%M')}, {cpu()}, "
      f"{threads} threads, {what}, OpenBLAS core "
      + "as our engine reports it, given to the peer"
      + (f" (the environment's OPENBLAS_CORETYPE={user_core} unset for these runs)" if user_core else "")
      + f", PyTorch with OMP_WAIT_POLICY={omp}")
print()
head = ["project", "ours samples/s", "PyTorch samples/s", "ratio", "target", "core"]
if epochs:
    head += ["ours acc %", "PyTorch acc %", "diff pts"]
print(table(head, rows))
if fwd:
    print()
    print("Forward latency, batch 1, all heads (median ms):")
    print(table(["project", "ours ms", "PyTorch ms", "speed-up"], fwd))
EOF
[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
echo "run-bench: report written to $build/bench-report.txt" >&2
exit $failed

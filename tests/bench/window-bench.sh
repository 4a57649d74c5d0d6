#!/bin/bash
# window-bench.sh — training in the window against training headless, in one
# run (docs/testing.md, "Training in the window").  A report, not a test:
# timings never fail it; it exits non-zero only when a program fails to run.
#
#   tests/bench/window-bench.sh [--repeats N] [--seconds N] [--steps N] [--screen WxH]
#                               [--no-build] [PROJECT]
#
#   --repeats N   pairs of runs (headless, then the window), the median reported (default 3)
#   --seconds N   seconds the window trains and records its frames (default 15)
#   --steps N     steps the headless `train` times (default 1200)
#   --screen WxH  Xvfb's screen (default 1400x900)
#   --no-build    use the build directory as it is
#   PROJECT       a .mhproj file (default resources/examples/fashion-cnn.mhproj)
#
# Each pair: `train PROJECT --steps N --threads 2 --json` (steps/s and
# samples/s over the steps' time), then `multihead-studio --ui-benchmark
# PROJECT --seconds N` under xvfb-run with GSK's cairo renderer (its steps'
# own samples/s, the same measure as train's, and by the wall clock; the
# frame intervals' p50/p90/p95/p99/max and how many frames took one, two,
# three or more refreshes).  Both record their run in a temporary
# XDG_DATA_HOME and use the same OpenBLAS kernels.  The load (uptime) is
# printed before each pair: the machine should be quiet.  The table also goes
# to build/window-bench-report.txt.  Environment: MH_BENCH_BUILD_DIR (default
# build), PYTHON (default /usr/bin/python3).

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-/usr/bin/python3}
build=${MH_BENCH_BUILD_DIR:-build}

usage() { sed -n '6,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
die() { echo "window-bench: $*" >&2; exit 2; }

repeats=3 seconds=15 steps=1200 screen=1400x900 build_it=1 project=
while [ $# -gt 0 ]; do
  case $1 in
    --repeats) [ $# -ge 2 ] || die "--repeats needs a value"; repeats=$2; shift 2 ;;
    --seconds) [ $# -ge 2 ] || die "--seconds needs a value"; seconds=$2; shift 2 ;;
    --steps) [ $# -ge 2 ] || die "--steps needs a value"; steps=$2; shift 2 ;;
    --screen) [ $# -ge 2 ] || die "--screen needs a value"; screen=$2; shift 2 ;;
    --no-build) build_it=; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) [ -z "$project" ] || die "one project at a time"; project=$1; shift ;;
  esac
done
for v in "$repeats" "$seconds" "$steps"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || die "'$v' is not a positive whole number"
done
[[ $screen =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "'$screen' is not WIDTHxHEIGHT"
if [ -n "$project" ]; then
  [ -f "$project" ] || die "$project: no such project file"
  project=$(cd "$(dirname "$project")" && pwd)/$(basename "$project")
fi
cd "$root" || exit 2
[ -n "$project" ] || project=$root/resources/examples/fashion-cnn.mhproj
command -v xvfb-run >/dev/null || die "xvfb-run is not installed (apt-get install xvfb xauth)"
[ -x "$py" ] || die "$py not found"

if [ -n "$build_it" ]; then
  [ -d "$build" ] || meson setup "$build" >&2 || { echo "window-bench: meson setup failed" >&2; exit 1; }
  meson compile -C "$build" >&2 || { echo "window-bench: build failed" >&2; exit 1; }
fi
engine=$build/app/multihead-studio
work=$(mktemp -d "${TMPDIR:-/tmp}/mh-window-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data

for i in $(seq 1 "$repeats"); do
  export XVFB_OUT=$work/$i.xvfb.out
  uptime >"$work/$i.load"
  echo "window-bench: pair $i of $repeats, load:$(sed 's/.*load average://' "$work/$i.load")" >&2
  "$engine" train "$project" --steps "$steps" --threads 2 --json >"$work/$i.train.out" ||
    { echo "window-bench: train failed" >&2; exit 1; }
  # the X server's CPU time over the window's life (it receives every frame)
  GSK_RENDERER=${GSK_RENDERER:-cairo} xvfb-run -a -s "-screen 0 ${screen}x24" bash -c '
    x=$(pgrep -f "^Xvfb :${DISPLAY#:}( |\$)" | head -1)
    cpu() { [ -n "$x" ] && awk "{ print \$14 + \$15 }" /proc/$x/stat || echo 0; }
    c0=$(cpu) t0=$(date +%s.%N)
    "$@" || exit 1
    awk -v c0="$c0" -v c1="$(cpu)" -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$(date +%s.%N)" \
      "BEGIN { printf \"{\\\"xvfb_cpu_s\\\": %f, \\\"life_s\\\": %f}\\n\", (c1 - c0) / hz, t1 - t0 }" >"$XVFB_OUT"
  ' bench "$engine" --ui-benchmark "$project" --seconds "$seconds" >"$work/$i.window.out" ||
    { echo "window-bench: --ui-benchmark failed" >&2; exit 1; }
done

mkdir -p "$build"
"$py" - "$work" "$repeats" "$project" <<'EOF' | tee "$build/window-bench-report.txt"
import json, os, statistics, sys

work, repeats, project = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def last_json(path):
    lines = [l for l in open(path).read().splitlines() if l.strip()]
    return json.loads(lines[-1])

def cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"

rows = []
for i in range(1, repeats + 1):
    t, w = last_json(f"{work}/{i}.train.out"), last_json(f"{work}/{i}.window.out")
    try:
        x = last_json(f"{work}/{i}.xvfb.out")
    except (OSError, ValueError, IndexError):
        x = {}
    steps_s = t["steps"] / t["seconds"] if t.get("seconds") else 0
    rows.append({
        "load": open(f"{work}/{i}.load").read().split("load average:")[-1].strip(),
        "train": t["train_samples_per_s"], "train_steps": steps_s,
        "window": w["train_samples_per_s"], "window_wall": w["wall_samples_per_s"],
        "window_steps": w["wall_steps_per_s"],
        "p50": w["frame_p50_ms"], "p90": w["frame_p90_ms"], "p95": w["frame_p95_ms"],
        "p99": w["frame_p99_ms"], "max": w["frame_max_ms"], "frames": w["frames"],
        "main_cpu": w.get("main_thread_cpu_share", 0),
        "xvfb_cpu": x.get("xvfb_cpu_s", 0) / x["life_s"] if x.get("life_s") else 0,
        "by": w["frames_by_ms"], "core": w.get("blas_core", "?"), "renderer": w.get("renderer", "?"),
    })

print(f"{os.path.basename(project)} — training in the window (Xvfb, {rows[0]['renderer']}) against `train`"
      f" headless; {cpu()}, {os.cpu_count()} cores, OpenBLAS core {rows[0]['core']}")
print(f"{'pair':>4}  {'load (1, 5, 15 min)':<20} {'train/s':>8} {'steps/s':>7} {'window/s':>8} {'wall/s':>7}"
      f" {'steps/s':>7} {'ratio':>6} {'wall':>6}  {'p50':>5} {'p90':>5} {'p95':>5} {'p99':>5} {'max':>6}"
      f"  frames (≤17, ≤34, ≤51, >51 ms)  window thread, Xvfb (share of a core)")
for i, r in enumerate(rows, 1):
    r["ratio"] = r["window"] / r["train"] if r["train"] else 0
    r["wall_ratio"] = r["window_wall"] / r["train"] if r["train"] else 0
    by = r["by"]
    print(f"{i:>4}  {r['load']:<20} {r['train']:>8,.0f} {r['train_steps']:>7.1f} {r['window']:>8,.0f}"
          f" {r['window_wall']:>7,.0f} {r['window_steps']:>7.1f} {r['ratio']:>6.0%} {r['wall_ratio']:>6.0%}"
          f"  {r['p50']:>5.1f} {r['p90']:>5.1f} {r['p95']:>5.1f} {r['p99']:>5.1f} {r['max']:>6.1f}"
          f"  {r['frames']} ({by.get('<=17', 0)}, {by.get('<=34', 0)}, {by.get('<=51', 0)}, {by.get('>51', 0)})"
          f"  {r['main_cpu']:.1%}, {r['xvfb_cpu']:.1%}")
med = lambda k: statistics.median(r[k] for r in rows)
print(f"median: train {med('train'):,.0f} samples/s ({med('train_steps'):.1f} steps/s), window"
      f" {med('window'):,.0f} samples/s by the steps' time ({med('ratio'):.0%} of headless),"
      f" {med('window_wall'):,.0f} by the wall clock ({med('window_steps'):.1f} steps/s, {med('wall_ratio'):.0%});"
      f" frame p99 {med('p99'):.1f} ms (target: ≥ 90% with p99 ≤ 17 ms); the window's thread"
      f" {med('main_cpu'):.1%} of a core, Xvfb {med('xvfb_cpu'):.1%}")
EOF

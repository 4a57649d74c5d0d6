#!/usr/bin/env bash
# Multi-Fashion, one model, every balancing method, next to the same model
# in PyTorch with equal weights: left/right test accuracy of each.
#   tests/bench/balancing.sh [--epochs N] [--threads N]
# A report, not a test: it never fails on the figures.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
epochs=10 threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: $0 [--epochs N] [--threads N]" >&2; exit 2 ;;
  esac
done
project="$root/resources/examples/multi-fashion.mhproj"
bin="$root/build/app/multihead-studio"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# the same OpenBLAS kernels on both sides: not the environment's, ours as
# OpenBLAS picks them, and the peer given the core ours reports
unset OPENBLAS_CORETYPE
for method in equal uncertainty gradnorm pcgrad; do
  echo "balancing: $method…" >&2
  "$bin" train "$project" --epochs "$epochs" --threads "$threads" --balancing "$method" --json \
    > "$out/$method.json" 2> "$out/$method.log" || echo "balancing: $method failed (see its log)" >&2
done
core=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]).get("blas_core",""))' "$out/equal.json" 2>/dev/null)
echo "balancing: PyTorch, equal weights (OpenBLAS core ${core:-its own})…" >&2
env ${core:+OPENBLAS_CORETYPE=$core} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE} /usr/bin/python3 "$root/tests/bench/peer_torch.py" "$project" \
  --epochs "$epochs" --threads "$threads" > "$out/torch.json" 2> "$out/torch.log" \
  || echo "balancing: the PyTorch peer failed (see its log)" >&2

/usr/bin/python3 - "$out" "$epochs" <<'PY'
import json, os, sys
out, epochs = sys.argv[1], sys.argv[2]
def last(path):
    try:
        return json.loads(open(path).read().strip().splitlines()[-1])
    except Exception:
        return None
rows = []
for m in ("equal", "uncertainty", "gradnorm", "pcgrad"):
    d = last(os.path.join(out, m + ".json"))
    if d is None:
        rows.append((f"ours, {m}", "failed", "", "", "")); continue
    h = d["heads"]
    cos = d.get("conflict", {}).get("cosine", {}).get("left/right")
    rows.append((f"ours, {m}", f"{100*h['left']['test_acc']:.2f}", f"{100*h['right']['test_acc']:.2f}",
                 f"{h['left']['weight']:.3g} / {h['right']['weight']:.3g}",
                 "" if cos is None else f"{cos:+.3f}"))
t = last(os.path.join(out, "torch.json"))
if t is None or "heads" not in t:
    rows.append(("PyTorch, equal", "failed", "", "", ""))
else:
    rows.append(("PyTorch, equal", f"{100*t['heads']['left']['test_acc']:.2f}",
                 f"{100*t['heads']['right']['test_acc']:.2f}", "0.5 / 0.5", ""))
print(f"Multi-Fashion, {epochs} epochs: test accuracy (%) of the left and right heads")
head = ("run", "left", "right", "weights (last)", "cosine left/right (last epoch)")
w = [max(len(str(r[i])) for r in rows + [head]) for i in range(5)]
print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)))
print("  ".join("-" * w[i] for i in range(5)))
for r in rows:
    print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)))
PY

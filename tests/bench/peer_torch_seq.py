#!/usr/bin/python3
"""peer_torch_seq.py — the PyTorch peer of a sequence project (German nouns,
sensors), for tests/bench/run-bench.sh.

The model is the one `multihead-studio export-torch` writes (model.py in
--model-dir): nn.Embedding, nn.GRU / nn.LSTM over packed sequences,
nn.Conv1d, the same transformer block, the same padding mask; so both sides
run the same model.  It trains with the project's batch, optimizer and
losses (cross-entropy, BCE, smooth-L1 or MSE, each head's weight).

Data: German nouns are read from the dictionary as the engine reads them
(one-word nouns of one gender, the last `length` characters right-aligned,
the training words by SHA-256 of the word, the vocabulary of characters at
least 3 training words use); their labels are random (the arithmetic does
not depend on them).  Sensor windows are random values of the same shape:
the time a step takes does not depend on what the signals hold.

    /usr/bin/python3 tests/bench/peer_torch_seq.py PROJECT --model-dir DIR
                     [--steps N | --epochs N] [--threads N] [--forward-latency] [--runs N]

Progress goes to stderr; the last line on stdout is one JSON object with
train_samples_per_s (or forward_ms), blas_core, torch and threads.  Set
OPENBLAS_CORETYPE before it starts, as run-bench.sh does.
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import statistics
import sys
import time

WARMUP_STEPS = 5
DICT = "/usr/share/dictd/freedict-deu-eng.dict.dz"
HEADWORD = re.compile(r"^(\S[^ /]*) /([^/]*)/ <([^>]*)>$")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fail(msg):
    log(f"peer_torch_seq: {msg}")
    sys.exit(1)


ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("project")
ap.add_argument("--model-dir", required=True, help="where export-torch wrote model.py")
ap.add_argument("--steps", type=int, default=300)
ap.add_argument("--epochs", type=int, help="as many steps as N epochs take (timed the same way)")
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--forward-latency", action="store_true")
ap.add_argument("--runs", type=int, default=2000)
ap.add_argument("--json", action="store_true", help="accepted; JSON is always printed")
args = ap.parse_args()
os.environ["OMP_NUM_THREADS"] = str(args.threads)
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")   # see peer_torch.py

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    fail(f"{e} (use Debian's /usr/bin/python3, which has python3-torch)")
sys.path.insert(0, args.model_dir)
import model as exported  # noqa: E402
from peer_torch_blas import blas_core, set_threads  # noqa: E402


def nouns(data):
    """Token ids of the training words, as the engine builds them."""
    path = os.environ.get("MH_GERMAN_NOUNS_DICT") or data.get("path") or DICT
    genders = {}
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            m = HEADWORD.match(line.rstrip("\n"))
            if not m:
                continue
            tags = [t.strip() for t in m.group(3).split(",")]
            if "n" not in tags or "sg" not in tags:
                continue
            g = {t for t in tags if t in ("masc", "fem", "neut")}
            if g:
                genders.setdefault(m.group(1), set()).update(g | ({"several"} if len(g) > 1 else set()))
    words = [w for w, g in genders.items() if len(g) == 1]
    frac = lambda w: int.from_bytes(hashlib.sha256(w.encode()).digest()[:8], "big") / 2.0 ** 64
    train = sorted((w for w in words if frac(w) >= data.get("test_fraction", 0.1)), key=frac)
    train = train[data.get("validation", 5000):]
    uses = {}
    for w in train:
        for c in set(w):
            uses[c] = uses.get(c, 0) + 1
    exported.VOCABULARY = "".join(sorted(c for c, n in uses.items() if n >= 3))
    return exported.encode(train, data.get("length", 24))


def inputs(proj):
    data = proj["dataset"]
    if data["kind"] == "german-nouns":
        return nouns(data)
    n = data.get("train", 20000) - data.get("validation", 0)
    return torch.randn(n, *exported.INPUT_SHAPE)


def losses(model, out, ys):
    total = 0.0
    for name, o in out.items():
        h = exported.HEADS[name]
        y = ys[name]
        if h["loss"] == "cross-entropy":
            loss = F.cross_entropy(o, y)
        elif h["loss"] == "bce":
            loss = F.binary_cross_entropy_with_logits(o, y)
        elif h["loss"] == "mse":
            loss = F.mse_loss(o, y)
        else:
            loss = F.smooth_l1_loss(o, y)
        total = total + h["weight"] * loss
    return total


def targets(model, x, n):
    """Random targets of each head's kind and size."""
    with torch.no_grad():
        out = model(x[:2])
    ys = {}
    for name, o in out.items():
        h, k = exported.HEADS[name], o.shape[1]
        if h["field"] == "class":
            ys[name] = torch.randint(0, k, (n,))
        elif h["field"] == "labels":
            ys[name] = (torch.rand(n, k) < 0.1).float()
        else:
            ys[name] = torch.randn(n, k)
    return ys


def main():
    with open(args.project) as f:
        proj = json.load(f)
    set_threads(args.threads)
    torch.manual_seed(proj.get("training", {}).get("seed", 1))
    model = exported.Model()
    x = inputs(proj)
    batch = int(proj.get("training", {}).get("batch", 64))
    n_params = sum(p.numel() for p in model.parameters())
    result = {"project": proj.get("name"), "threads": args.threads, "torch": torch.__version__,
              "blas_core": blas_core(), "omp_wait_policy": os.environ["OMP_WAIT_POLICY"], "params": n_params}
    log(f"peer_torch_seq: {proj.get('name')}: {n_params} parameters, {len(x)} samples, torch {torch.__version__}, "
        f"{args.threads} threads, OpenBLAS core {blas_core()}")
    if args.forward_latency:
        model.eval()
        times = []
        with torch.no_grad():
            for i in range(args.runs + 200):
                t0 = time.perf_counter_ns()
                model(x[i % len(x)].unsqueeze(0))
                if i >= 200:
                    times.append(time.perf_counter_ns() - t0)
        result["forward_ms"] = round(statistics.median(times) / 1e6, 4)
        print(json.dumps(result), flush=True)
        return
    ys = targets(model, x, len(x))
    o = proj.get("optimizer", {})
    opt = torch.optim.Adam(model.parameters(), lr=o.get("lr", 1e-3), betas=(o.get("beta1", 0.9), o.get("beta2", 0.999)),
                           eps=o.get("eps", 1e-8))
    if args.epochs is not None:
        args.steps = args.epochs * -(-len(x) // batch)
    gen = torch.Generator().manual_seed(1)
    order, pos = torch.randperm(len(x), generator=gen), 0
    model.train()
    samples, t0 = 0, None
    for step in range(WARMUP_STEPS + args.steps):
        if step == WARMUP_STEPS:
            t0 = time.perf_counter()
        if pos + batch > len(x):
            order, pos = torch.randperm(len(x), generator=gen), 0
        idx = order[pos:pos + batch]
        pos += batch
        opt.zero_grad(set_to_none=True)
        loss = losses(model, model(x[idx]), {k: v[idx] for k, v in ys.items()})
        loss.backward()
        opt.step()
        if step >= WARMUP_STEPS:
            samples += len(idx)
    elapsed = time.perf_counter() - t0
    result.update(steps=args.steps, samples=samples, seconds=round(elapsed, 4),
                  train_samples_per_s=round(samples / elapsed, 1))
    log(f"peer_torch_seq: {result['train_samples_per_s']} samples/s over {args.steps} steps")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""peer_torch.py — the PyTorch peer of a Multihead Studio project (DESIGN.md §8).

Reads a .mhproj file and builds the identical model in PyTorch: the backbone as
an nn.Sequential, the heads in an nn.ModuleDict, each head's loss
cross-entropy, the total loss the weighted sum.  Trains it on Fashion-MNIST
the way the engine does (pixels/255, the last `dataset.validation` training
images held out, reshuffled each epoch, the project's batch and optimizer).

    /usr/bin/python3 tests/bench/peer_torch.py PROJECT [--steps N | --epochs N]
                     [--threads N] [--seed N] [--forward-latency]

  --steps N          train N batches after 5 warm-up batches; only the N are timed
  --epochs N         train N full epochs (all timed), then evaluate every head
                     on the 10,000 test images
  --forward-latency  median time of a batch-1 forward pass of all heads
                     (eval mode, no_grad) over --runs runs after warm-up

Progress goes to stderr; the last line on stdout is one JSON object.
Run it with Debian's /usr/bin/python3: that is the one with python3-torch.
Fashion-MNIST is read from $MH_FASHION_MNIST_DIR, else from
/usr/share/datasets/fashion-mnist.

OMP_WAIT_POLICY defaults to PASSIVE (see below); set it to keep your own.

OpenBLAS picks its kernels when it loads, so OPENBLAS_CORETYPE must be set in
the environment before this program starts (run-bench.sh does that, using the
core the engine reports).  The core in use is reported as "blas_core".
"""

import argparse
import gzip
import json
import math
import os
import statistics
import sys
import time

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
WARMUP_STEPS = 5

# Label fields derived from the Fashion-MNIST category (DESIGN.md §8).
GROUP_OF_CATEGORY = [0, 1, 0, 0, 0, 2, 0, 2, 3, 2]  # clothing, trousers, footwear, bag
TARGET_CLASSES = {"category": 10, "group": 4, "upper": 2, "left": 10, "right": 10}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def fail(msg):
    print(f"peer_torch: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def parse_args():
    ap = argparse.ArgumentParser(description="PyTorch peer of a Multihead Studio project")
    ap.add_argument("project", help=".mhproj file")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--steps", type=int, help="train N timed batches (after %d warm-up ones)" % WARMUP_STEPS)
    mode.add_argument("--epochs", type=int, help="train N epochs, then evaluate on the test set")
    mode.add_argument("--forward-latency", action="store_true",
                      help="time a batch-1 forward pass of all heads")
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    ap.add_argument("--seed", type=int, help="default: the project's training.seed")
    ap.add_argument("--runs", type=int, default=2000, help="forward-latency runs (default 2000)")
    ap.add_argument("--json", action="store_true", help="accepted for symmetry with the engine; JSON is always printed")
    args = ap.parse_args()
    if args.steps is not None and args.steps < 1:
        ap.error("--steps must be at least 1")
    if args.epochs is not None and args.epochs < 1:
        ap.error("--epochs must be at least 1")
    if args.threads < 1:
        ap.error("--threads must be at least 1")
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    return args


args = parse_args()

# Thread counts must be in the environment before OpenBLAS and OpenMP load.
os.environ["OMP_NUM_THREADS"] = str(args.threads)
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
# PyTorch runs its own ops on OpenMP (libgomp) threads and its matrix products
# on OpenBLAS's pthreads.  libgomp's threads spin-wait after each parallel
# region by default and then fight OpenBLAS's threads for the cores: on a
# 2-core machine that made the mlp 3-4 times slower (and erratic).  Passive
# waiting is PyTorch at its best here, so it is the default; a user's own
# OMP_WAIT_POLICY is kept (OMP_WAIT_POLICY=ACTIVE for the stock behaviour).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    fail(f"{e} (use Debian's /usr/bin/python3, which has python3-torch)")


# ---------------------------------------------------------------- OpenBLAS

from peer_torch_blas import blas_core, set_threads  # noqa: E402  (after the thread settings above)


# ---------------------------------------------------------------- data

def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:  # unsigned bytes
        fail(f"{path}: not an IDX file of unsigned bytes")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != math.prod(dims):
        fail(f"{path}: {arr.size} values, the header says {dims}")
    return arr.reshape(dims)


def multi_fashion(x, category, seed):
    """The MultiMNIST construction (Sener & Koltun 2018) on Fashion-MNIST,
    as the engine's multi-fashion: item i at (0, 0) and a partner j ≠ i at
    (6, 6) of a 36×36 canvas, pixel-wise max, shrunk to 28×28 by area
    averaging.  The pairing comes from the seed with torch's generator, so
    the pairs are not the engine's, only made the same way."""
    n = x.shape[0]
    gen = torch.Generator().manual_seed(seed)
    partner = torch.randint(0, n - 1, (n,), generator=gen)
    partner = partner + (partner >= torch.arange(n)).to(partner.dtype)   # j ≠ i
    out = torch.empty_like(x)
    for start in range(0, n, 4096):
        i = torch.arange(start, min(n, start + 4096))
        canvas = torch.zeros(len(i), 1, 36, 36)
        canvas[:, :, 0:28, 0:28] = x[i]
        canvas[:, :, 6:34, 6:34] = torch.maximum(canvas[:, :, 6:34, 6:34], x[partner[i]])
        out[i] = F.adaptive_avg_pool2d(canvas, 28)
    return out, {"left": category, "right": category[partner]}


def load_split(data_dir, prefix, kind="fashion-mnist", seed=1):
    imgs = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    if len(imgs) != len(labels):
        fail(f"{data_dir}: {len(imgs)} {prefix} images but {len(labels)} labels")
    x = torch.from_numpy(imgs.astype(np.float32) / 255.0).unsqueeze(1)  # N×1×28×28
    category = torch.from_numpy(labels.astype(np.int64))
    group = torch.tensor(GROUP_OF_CATEGORY, dtype=torch.int64)[category]
    upper = (group == 0).to(torch.int64)
    if kind == "multi-fashion":
        return multi_fashion(x, category, seed + (prefix == "t10k"))
    return x, {"category": category, "group": group, "upper": upper}


# ---------------------------------------------------------------- model

class PatchEmbed(nn.Module):
    """N×C×H×W → N×T×D, patches row-major (as the engine's channels-last conv)."""
    def __init__(self, c, d, p):
        super().__init__()
        self.proj = nn.Conv2d(c, d, p, stride=p)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ClassToken(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.token = nn.Parameter(torch.randn(1, 1, d) * 0.02)

    def forward(self, x):
        return torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)


class PositionEmbedding(nn.Module):
    def __init__(self, t, d):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(1, t, d) * 0.02)

    def forward(self, x):
        return x + self.pos


class Block(nn.Module):
    """Pre-norm: x + MHA(LN(x)); x + fc2(GELU(fc1(LN(x))))."""
    def __init__(self, d, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, hidden)
        self.fc2 = nn.Linear(hidden, d)

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class SelectToken(nn.Module):
    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x):
        return x[:, 0] if self.mode == "class" else x.mean(dim=1)


def build_layers(specs, shape, where, n_classes=None):
    """nn modules for a list of layer specs; shape is the per-sample input
    shape (C, H, W) or (features,) and is followed through the list."""
    mods = []
    for i, s in enumerate(specs):
        t = s.get("type")
        here = f"{where}[{i}] ({t})"
        if t == "flatten":
            m = nn.Flatten()
        elif t == "dense":
            if len(shape) == 3:
                fail(f"{here}: dense on an image; put a flatten before it")
            units = s.get("units", 0) or n_classes
            if not units:
                fail(f"{here}: dense without units")
            m = nn.Linear(shape[-1], units)
        elif t == "relu":
            m = nn.ReLU()
        elif t == "gelu":
            m = nn.GELU()
        elif t == "dropout":
            m = nn.Dropout(s.get("rate", 0.5))
        elif t == "layernorm":
            if len(shape) == 3:
                fail(f"{here}: layernorm on an image is not supported by the peer")
            m = nn.LayerNorm(shape[-1], eps=s.get("eps", 1e-5))
        elif t == "conv2d":
            if len(shape) != 3:
                fail(f"{here}: conv2d needs an image input, gets {tuple(shape)}")
            m = nn.Conv2d(shape[0], s["filters"], s["kernel"],
                          stride=s.get("stride", 1), padding=s.get("padding", 0))
        elif t == "patch_embed":
            m = PatchEmbed(shape[0], s["dim"], s["patch"])
        elif t == "class_token":
            m = ClassToken(shape[-1])
        elif t == "position_embedding":
            m = PositionEmbedding(shape[0], shape[1])
        elif t == "transformer_block":
            m = Block(shape[-1], s["heads"], s["hidden"])
        elif t == "select_token":
            m = SelectToken(s.get("mode", "class"))
        elif t == "maxpool":
            if len(shape) != 3:
                fail(f"{here}: maxpool needs an image input, gets {tuple(shape)}")
            m = nn.MaxPool2d(s.get("size", 2))
        else:
            fail(f"{here}: layer type not supported by the peer")
        if s.get("frozen"):
            for p in m.parameters():
                p.requires_grad_(False)
        with torch.no_grad():
            shape = tuple(m.eval()(torch.zeros(1, *shape)).shape[1:])
        m.train()
        mods.append((s.get("name"), m, shape))
    return mods, shape


class MultiHead(nn.Module):
    def __init__(self, proj):
        super().__init__()
        bb, shape = build_layers(proj["backbone"]["layers"], (1, 28, 28), "backbone.layers")
        self.backbone = nn.Sequential(*[m for _, m, _ in bb])
        # Heads may read a named backbone layer (`input`); the default is the output.
        names = [n for n, _, _ in bb]
        shapes = [s for _, _, s in bb]
        self.taps = {}  # head name -> index of the backbone layer it reads
        self.heads = nn.ModuleDict()
        self.weights = {}
        self.targets = {}
        for j, h in enumerate(proj["heads"]):
            where = f"heads[{j}]"
            name, target = h["name"], h.get("target")
            if target not in TARGET_CLASSES:
                fail(f"{where}.target: '{target}' is not one of {', '.join(TARGET_CLASSES)}")
            if h.get("kind", "classification") != "classification":
                fail(f"{where}.kind: only classification heads are supported by the peer")
            if h.get("loss", "cross-entropy") != "cross-entropy":
                fail(f"{where}.loss: only cross-entropy is supported by the peer")
            tap = h.get("input")
            if tap is None:
                idx, in_shape = len(bb) - 1, shape
            else:
                if tap not in names:
                    fail(f"{where}.input: no backbone layer named '{tap}'")
                idx = names.index(tap)
                in_shape = shapes[idx]
            hl, _ = build_layers(h.get("layers", []), in_shape, f"{where}.layers",
                                 TARGET_CLASSES[target])
            head = nn.Sequential(*[m for _, m, _ in hl])
            if h.get("frozen"):
                for p in head.parameters():
                    p.requires_grad_(False)
            self.heads[name] = head
            self.taps[name] = idx
            equal = proj.get("balancing", {}).get("method") == "equal"
            self.weights[name] = 1.0 / len(proj["heads"]) if equal else float(h.get("weight", 1.0))
            self.targets[name] = target
        if proj["backbone"].get("frozen"):
            for p in self.backbone.parameters():
                p.requires_grad_(False)
        self.last = len(bb) - 1
        self.simple = all(i == self.last for i in self.taps.values())

    def forward(self, x):
        if self.simple:
            f = self.backbone(x)
            return {n: h(f) for n, h in self.heads.items()}
        taps = {}
        want = set(self.taps.values())
        for i, m in enumerate(self.backbone):
            x = m(x)
            if i in want:
                taps[i] = x
        return {n: h(taps[self.taps[n]]) for n, h in self.heads.items()}


def total_loss(model, out, ys):
    return sum(model.weights[n] * F.cross_entropy(o, ys[model.targets[n]]) for n, o in out.items())


def make_optimizer(proj, params):
    o = proj.get("optimizer", {})
    kind = o.get("kind", "adam")
    lr = o.get("lr", 1e-3)
    betas = (o.get("beta1", 0.9), o.get("beta2", 0.999))
    eps = o.get("eps", 1e-8)
    wd = o.get("weight_decay", 0.0)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=betas, eps=eps)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=betas, eps=eps, weight_decay=wd)
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=o.get("momentum", 0.0), weight_decay=wd)
    fail(f"optimizer.kind: '{kind}' is not adam, adamw or sgd")


def make_schedule(proj, opt, total_steps):
    s = proj.get("schedule", {})
    kind = s.get("kind", "constant")
    warm = int(s.get("warmup_steps", 0))
    base = opt.param_groups[0]["lr"]
    min_ratio = s.get("min_lr", 0.0) / base if base else 0.0
    if kind == "constant" and warm == 0:
        return None

    def factor(step):  # step = number of optimizer steps taken so far
        if step < warm:
            return (step + 1) / warm
        if kind == "constant":
            return 1.0
        t = min(1.0, (step - warm) / max(1, total_steps - warm))
        return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * t))

    if kind not in ("constant", "cosine"):
        fail(f"schedule.kind: '{kind}' is not constant or cosine")
    return torch.optim.lr_scheduler.LambdaLR(opt, factor)


# ---------------------------------------------------------------- runs

class Batches:
    """Endless batches of the training split, reshuffled each epoch."""

    def __init__(self, n, batch, gen):
        self.n, self.batch, self.gen = n, batch, gen
        self.epoch = 0
        self._new_epoch()

    def _new_epoch(self):
        self.perm = torch.randperm(self.n, generator=self.gen)
        self.pos = 0

    def next(self):
        if self.pos >= self.n:
            self.epoch += 1
            self._new_epoch()
        idx = self.perm[self.pos:self.pos + self.batch]
        self.pos += self.batch
        return idx


def train_step(model, opt, sched, clip_norm, x, ys, idx):
    out = model(x[idx])
    loss = total_loss(model, out, {k: v[idx] for k, v in ys.items()})
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if clip_norm:
        nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], clip_norm)
    opt.step()
    if sched is not None:
        sched.step()
    return loss


@torch.no_grad()
def evaluate(model, x, ys, chunk=1000):
    model.eval()
    heads = {n: {"correct": 0, "loss": 0.0} for n in model.heads}
    for i in range(0, len(x), chunk):
        out = model(x[i:i + chunk])
        for n, o in out.items():
            y = ys[model.targets[n]][i:i + chunk]
            heads[n]["correct"] += int((o.argmax(1) == y).sum())
            heads[n]["loss"] += float(F.cross_entropy(o, y, reduction="sum"))
    model.train()
    return {n: {"test_acc": round(h["correct"] / len(x), 6), "test_loss": round(h["loss"] / len(x), 6)}
            for n, h in heads.items()}


def forward_latency(model, x, runs):
    model.eval()
    img = x[:1].clone()
    times = []
    with torch.no_grad():
        for _ in range(max(100, runs // 10)):
            model(img)
        for _ in range(runs):
            t0 = time.perf_counter_ns()
            model(img)
            times.append(time.perf_counter_ns() - t0)
    times.sort()
    ms = lambda q: times[min(len(times) - 1, int(q * len(times)))] / 1e6
    return {"forward_ms": round(statistics.median(times) / 1e6, 4),
            "forward_p10_ms": round(ms(0.10), 4), "forward_p90_ms": round(ms(0.90), 4),
            "runs": runs}


def main():
    try:
        with open(args.project) as f:
            proj = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(f"{args.project}: {e}")
    for key in ("backbone", "heads"):
        if key not in proj:
            fail(f"{args.project}: no '{key}'")

    set_threads(args.threads)
    training = proj.get("training", {})
    seed = args.seed if args.seed is not None else training.get("seed", 1)
    batch = int(training.get("batch", 64))
    torch.manual_seed(seed)

    data = proj.get("dataset", {})
    data_dir = os.environ.get("MH_FASHION_MNIST_DIR") or data.get("path") or DEFAULT_DATA_DIR
    model = MultiHead(proj)
    n_params = sum(p.numel() for p in model.parameters())
    log(f"peer_torch: {proj.get('name', args.project)}: {n_params} parameters, torch {torch.__version__}, "
        f"{args.threads} threads, OpenBLAS core {blas_core()}, OMP_WAIT_POLICY {os.environ['OMP_WAIT_POLICY']}")

    result = {"project": proj.get("name"), "threads": args.threads, "torch": torch.__version__,
              "blas_core": blas_core(), "omp_wait_policy": os.environ["OMP_WAIT_POLICY"],
              "params": n_params}

    if args.forward_latency:
        x_test, _ = load_split(data_dir, "t10k", data.get("kind", "fashion-mnist"), data.get("seed", 1))
        result.update(forward_latency(model, x_test, args.runs))
        log(f"peer_torch: forward {result['forward_ms']} ms (median of {args.runs})")
        print(json.dumps(result), flush=True)
        return

    x, ys = load_split(data_dir, "train", data.get("kind", "fashion-mnist"), data.get("seed", 1))
    n_val = int(data.get("validation", 0))
    if not 0 <= n_val < len(x):
        fail(f"dataset.validation: {n_val} of {len(x)} training images")
    n_train = len(x) - n_val
    x_val, ys_val = x[n_train:], {k: v[n_train:] for k, v in ys.items()}
    x, ys = x[:n_train], {k: v[:n_train] for k, v in ys.items()}

    opt = make_optimizer(proj, [p for p in model.parameters() if p.requires_grad])
    clip = proj.get("optimizer", {}).get("clip_norm", 0.0)
    gen = torch.Generator().manual_seed(seed)
    batches = Batches(n_train, batch, gen)
    steps_per_epoch = math.ceil(n_train / batch)
    model.train()

    if args.epochs is None:
        steps = args.steps if args.steps is not None else 300
        sched = make_schedule(proj, opt, steps + WARMUP_STEPS)
        for _ in range(WARMUP_STEPS):
            train_step(model, opt, sched, clip, x, ys, batches.next())
        samples = 0
        t0 = time.perf_counter()
        for i in range(steps):
            idx = batches.next()
            loss = train_step(model, opt, sched, clip, x, ys, idx)
            samples += len(idx)
            if (i + 1) % 100 == 0:
                log(f"peer_torch: step {i + 1}/{steps} loss {loss.item():.4f}")
        elapsed = time.perf_counter() - t0
        result.update(steps=steps, samples=samples, seconds=round(elapsed, 4),
                      train_samples_per_s=round(samples / elapsed, 1), final_loss=round(loss.item(), 6))
    else:
        steps = args.epochs * steps_per_epoch
        sched = make_schedule(proj, opt, steps)
        samples, elapsed = 0, 0.0
        for epoch in range(args.epochs):
            t0 = time.perf_counter()
            run_loss = 0.0
            for _ in range(steps_per_epoch):
                idx = batches.next()
                loss = train_step(model, opt, sched, clip, x, ys, idx)
                run_loss += loss.item() * len(idx)
                samples += len(idx)
            elapsed += time.perf_counter() - t0
            msg = f"peer_torch: epoch {epoch + 1}/{args.epochs} train loss {run_loss / n_train:.4f}"
            if n_val:
                val = evaluate(model, x_val, ys_val)
                msg += " val acc " + " ".join(f"{n} {h['test_acc']:.4f}" for n, h in val.items())
            log(msg + f" ({samples / elapsed:.0f} samples/s)")
        result.update(steps=steps, epochs=args.epochs, samples=samples, seconds=round(elapsed, 4),
                      train_samples_per_s=round(samples / elapsed, 1))
        if n_val:
            val = evaluate(model, x_val, ys_val)
            result["val"] = {n: {"val_acc": h["test_acc"], "val_loss": h["test_loss"]} for n, h in val.items()}
        x_test, ys_test = load_split(data_dir, "t10k", data.get("kind", "fashion-mnist"), data.get("seed", 1))
        result["heads"] = evaluate(model, x_test, ys_test)
        log("peer_torch: test " + " ".join(
            f"{n} acc {h['test_acc']:.4f} loss {h['test_loss']:.4f}" for n, h in result["heads"].items()))

    log(f"peer_torch: {result['train_samples_per_s']} samples/s over {result['steps']} steps")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

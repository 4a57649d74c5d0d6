#!/usr/bin/env python3
# Trains model.py's Model with DistributedDataParallel (written by
# `multihead-studio export-torch`): the project's heads, losses, loss weights,
# optimiser and batch, on its Fashion-MNIST data (IDX files).
#
#   torchrun --nproc_per_node 2 train_ddp.py [--data DIR] [--epochs N | --steps N]
#            [--weights W.safetensors] [--save OUT.safetensors]
#   python3 train_ddp.py --nproc 2 …      the same without torchrun: the script
#            starts the processes itself (Debian 12's torchrun fails under
#            Python 3.11 with torch 1.13: "'NoneType' object has no attribute 'get'")
#
# gloo on the CPU, NCCL when every process has a GPU.  The batch (the
# project's) is split over the processes; rank 0 reports and saves.
import argparse
import gzip
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

import model as exported

GROUP = [0, 1, 0, 0, 0, 2, 0, 2, 3, 2]   # category -> clothing, trousers, footwear, bag


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def fashion_split(folder, prefix):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise SystemExit(f"train_ddp.py: {folder}: no {stem}(.gz)")
    images = read_idx(find(f"{prefix}-images-idx3-ubyte"))
    category = read_idx(find(f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
    group = np.array(GROUP, dtype=np.int64)[category]
    fields = {"category": category, "group": group, "upper": (group == 0).astype(np.int64)}
    return images, fields


def load_data(folder):
    if exported.DATASET["kind"] != "fashion-mnist":
        raise SystemExit("train_ddp.py reads Fashion-MNIST; this project's dataset is "
                         + exported.DATASET["kind"])
    images, fields = fashion_split(folder, "train")
    keep = len(images) - exported.DATASET["validation"]   # the last ones validate, as in the engine
    x = torch.from_numpy(images[:keep].astype(np.float32) / 255.0).unsqueeze(1)   # N x 1 x H x W
    ys = [torch.from_numpy(fields[exported.HEADS[h]["target"]][:keep]) for h in exported.HEADS]
    return TensorDataset(x, *ys)


def loss_of(head, out, target):
    kind = exported.HEADS[head]["loss"]
    if kind == "cross-entropy":
        return F.cross_entropy(out, target)
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(out, target.float())
    if kind == "smooth-l1":
        return F.smooth_l1_loss(out, target.float())
    return F.mse_loss(out, target.float())


def make_optimizer(params):
    o = exported.TRAINING["optimizer"]
    if o["kind"] == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], weight_decay=o["weight_decay"])
    make = torch.optim.AdamW if o["kind"] == "adamw" else torch.optim.Adam
    return make(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"],
                weight_decay=o["weight_decay"])


def parse_args():
    ap = argparse.ArgumentParser(description="train " + exported.PROJECT + " with DDP")
    ap.add_argument("--data", default=exported.DATASET["path"], help="the Fashion-MNIST folder")
    ap.add_argument("--epochs", type=int, default=exported.TRAINING["epochs"])
    ap.add_argument("--steps", type=int, default=0, help="stop after N steps (0: by epochs)")
    ap.add_argument("--weights", help="start from these weights (else PyTorch's initialisation)")
    ap.add_argument("--save", help="write the trained weights (safetensors, the engine reads them)")
    ap.add_argument("--nproc", type=int, default=1, help="without torchrun: start N processes here")
    ap.add_argument("--port", type=int, default=29500, help="without torchrun: the rendezvous port")
    return ap.parse_args()


def worker(rank, args):
    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(args.nproc),
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=str(args.port))
    train(args)


def main():
    args = parse_args()
    if "RANK" in os.environ:         # started by torchrun
        train(args)
    else:
        mp.spawn(worker, args=(args,), nprocs=max(1, args.nproc))


def train(args):
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}") if backend == "nccl" else torch.device("cpu")
    torch.manual_seed(exported.TRAINING["seed"])
    net = (exported.load_model(args.weights).train() if args.weights else exported.Model()).to(device)
    ddp = DistributedDataParallel(net)
    data = load_data(args.data)
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True,
                                 seed=exported.TRAINING["seed"])
    loader = DataLoader(data, batch_size=max(1, exported.TRAINING["batch"] // world), sampler=sampler)
    opt = make_optimizer(ddp.parameters())
    clip = exported.TRAINING["optimizer"]["clip_norm"]
    heads = list(exported.HEADS)
    step = 0
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for x, *ys in loader:
            out = ddp(x.to(device))
            losses = [loss_of(h, out[h], y.to(device)) for h, y in zip(heads, ys)]
            total = sum(exported.HEADS[h]["weight"] * l for h, l in zip(heads, losses))
            opt.zero_grad()
            total.backward()
            if clip > 0:
                torch.nn.utils.clip_grad_norm_(ddp.parameters(), clip)
            opt.step()
            step += 1
            if rank == 0 and (step % 100 == 0 or step == args.steps):
                print(f"epoch {epoch + 1} step {step} loss "
                      + " ".join(f"{h} {l.item():.4f}" for h, l in zip(heads, losses)), flush=True)
            if args.steps and step >= args.steps:
                break
        if args.steps and step >= args.steps:
            break
    if rank == 0:
        print(f"trained {step} steps on {world} processes ({backend})", flush=True)
        if args.save:
            exported.save_weights(net, args.save)
            print("weights written to " + args.save, flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

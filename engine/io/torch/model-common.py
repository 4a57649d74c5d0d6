# A multihead-studio model as a PyTorch module (written by
# `multihead-studio export-torch`).  Needs torch and numpy only.
#
#   from model import load_model
#   model = load_model("weights.safetensors")      # eval mode
#   outputs = model(x)     # x: N x C x H x W float, pixels / 255
#                          # outputs: {head name: raw outputs (logits)}
#
# Inside, activations are channels-last (N x H x W x C) as in the engine, so
# flatten and the dense weights after it agree; tokens are the patches in
# row-major order.  The state dict's keys are the weights file's tensor names.
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2d(nn.Conv2d):
    """nn.Conv2d on channels-last activations."""

    def forward(self, x):
        return super().forward(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


class MaxPool(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def forward(self, x):
        return F.max_pool2d(x.permute(0, 3, 1, 2), self.size).permute(0, 2, 3, 1)


class Flatten(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


class PatchEmbed(nn.Conv2d):
    """Patches (kernel = stride = p) to tokens: N x H x W x C -> N x T x D."""

    def forward(self, x):
        return super().forward(x.permute(0, 3, 1, 2)).flatten(2).transpose(1, 2)


class ClassToken(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        return torch.cat([self.weight.expand(x.shape[0], 1, -1), x], dim=1)


class PositionEmbedding(nn.Module):
    def __init__(self, tokens, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(tokens, dim))

    def forward(self, x):
        return x + self.weight


class SelectToken(nn.Module):
    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x):
        return x.mean(dim=1) if self.mode == "mean" else x[:, 0]


class Attention(nn.Module):
    """Multi-head self-attention, Q K V from one Linear (rows Q, K, V)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def attend(self, x):
        n, t, d = x.shape
        h, dh = self.heads, d // self.heads
        q, k, v = (z.reshape(n, t, h, dh).transpose(1, 2) for z in self.qkv(x).split(d, dim=-1))
        p = torch.softmax(q @ k.transpose(-2, -1) * (1.0 / math.sqrt(dh)), dim=-1)
        return self.proj((p @ v).transpose(1, 2).reshape(n, t, d))

    def forward(self, x):
        return self.attend(x)


class TransformerBlock(Attention):
    """Pre-norm: r = x + attention(norm1(x)); y = r + fc2(gelu(fc1(norm2(r))))."""

    def __init__(self, dim, heads, hidden, eps):
        super().__init__(dim, heads)
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        r = x + self.attend(self.norm1(x))
        return r + self.fc2(F.gelu(self.fc1(self.norm2(r))))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.ModuleDict(build_backbone())
        self.heads = nn.ModuleDict({name: nn.ModuleDict(layers) for name, layers in build_heads().items()})

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)          # N x C x H x W -> the engine's N x H x W x C
        taps = {"": x}
        for name, layer in self.backbone.items():
            x = layer(x)
            taps[name] = x
        out = {}
        for name, layers in self.heads.items():
            y = taps[HEADS[name]["input"]]
            for layer in layers.values():
                y = layer(y)
            out[name] = y
        return out


def read_safetensors(path):
    """{name: float32 tensor} and the metadata of a safetensors file (F32 only)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: not a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError(f"{path}: the header is longer than the file")
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        if e["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name}: dtype {e['dtype']} (only F32 is read)")
        begin, end = e["data_offsets"]
        count = int(np.prod(e["shape"], dtype=np.int64))
        if end - begin != 4 * count or 8 + n + end > len(data):
            raise ValueError(f"{path}: tensor {name}: bad data_offsets")
        a = np.frombuffer(data, dtype="<f4", count=count, offset=8 + n + begin)
        tensors[name] = torch.from_numpy(a.reshape(e["shape"]).astype(np.float32))
    return tensors, meta


def load_model(weights_path):
    """The model with the weights of a weights file or checkpoint, in eval mode."""
    model = Model()
    tensors, _ = read_safetensors(weights_path)
    own = model.state_dict()
    problems = [f"{k}: missing" for k in own if k not in tensors]
    problems += [f"{k}: {tuple(tensors[k].shape)} in the file, {tuple(v.shape)} in the model"
                 for k, v in own.items() if k in tensors and tensors[k].shape != v.shape]
    if problems:
        raise ValueError(f"{weights_path}: " + "; ".join(problems))
    model.load_state_dict({k: tensors[k] for k in own})
    return model.eval()


def save_weights(model, path):
    """A weights file the engine reads (tensors sorted by name, as it writes them)."""
    state = {k: v.detach().cpu().contiguous().numpy().astype("<f4") for k, v in model.state_dict().items()}
    header, offset = {"__metadata__": {"format": "1", "producer": "model.py", "project": PROJECT}}, 0
    for k in sorted(state):
        header[k] = {"dtype": "F32", "shape": list(state[k].shape),
                     "data_offsets": [offset, offset + state[k].nbytes]}
        offset += state[k].nbytes
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for k in sorted(state):
            f.write(state[k].tobytes())


# ---- this project (generated) ------------------------------------------------

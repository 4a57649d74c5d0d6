# A multihead-studio model as a PyTorch module (written by
# `multihead-studio export-torch`).  Needs torch and numpy only.
#
#   from model import load_model
#   model = load_model("weights.safetensors")      # eval mode
#   outputs = model(x)     # images: x N x C x H x W float, pixels / 255
#                          # text: x N x T token ids (encode(["Haus", ...]))
#                          # signals: x N x T x C float (steps x channels)
#                          # outputs: {head name: raw outputs (logits)}
#
# Inside, activations are channels-last (N x H x W x C, N x T x C) as in the
# engine, so flatten and the dense weights after it agree; an image's tokens
# are its patches in row-major order.  Text carries a padding mask (token 0
# is padding) through the layers that keep its tokens; the layers that read
# it (MaskedLayer) take and give (x, mask).  The state dict's keys are the
# weights file's tensor names.
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedLayer:
    """A layer that reads the padding mask (N x T bools, None: no padding) and gives its output's."""


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


class ClassToken(nn.Module, MaskedLayer):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x, mask=None):
        y = torch.cat([self.weight.expand(x.shape[0], 1, -1), x], dim=1)
        if mask is None:
            return y, None
        return y, torch.cat([torch.ones_like(mask[:, :1]), mask], dim=1)


class PositionEmbedding(nn.Module):
    def __init__(self, tokens, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(tokens, dim))

    def forward(self, x):
        return x + self.weight


class SelectToken(nn.Module, MaskedLayer):
    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x, mask=None):
        if self.mode != "mean":
            return x[:, 0], None
        if mask is None:
            return x.mean(dim=1), None
        m = mask.unsqueeze(-1).to(x.dtype)
        return (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1), None


class Embedding(nn.Embedding):
    """Token ids (N x T) to vectors; token 0 is padding (zeros, no gradient)."""

    def __init__(self, vocab, dim):
        super().__init__(vocab, dim, padding_idx=0)

    def forward(self, x):
        return super().forward(x.long())


class Conv1d(nn.Conv1d, MaskedLayer):
    """nn.Conv1d on channels-last sequences (N x T x C).  With a mask, an
    output step is real when the input step under the kernel's centre is;
    padding steps give 0."""

    def forward(self, x, mask=None):
        y = super().forward(x.transpose(1, 2)).transpose(1, 2)
        if mask is None:
            return y, None
        k, s, p, d = self.kernel_size[0], self.stride[0], self.padding[0], self.dilation[0]
        centre = torch.arange(y.shape[1], device=x.device) * s - p + d * (k - 1) // 2
        inside = (centre >= 0) & (centre < x.shape[1])
        out = torch.zeros(mask.shape[0], y.shape[1], dtype=torch.bool, device=x.device)
        out[:, inside] = mask[:, centre[inside]]
        return y * out.unsqueeze(-1).to(y.dtype), out


class SeqPool(nn.Module, MaskedLayer):
    """Max or mean over the real steps: N x T x D -> N x D (0 when none is real)."""

    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x, mask=None):
        if mask is None:
            mask = torch.ones(x.shape[:2], dtype=torch.bool, device=x.device)
        m = mask.unsqueeze(-1)
        if self.mode == "mean":
            return (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1), None
        y = x.masked_fill(~m, float("-inf")).amax(dim=1)
        return torch.where(m.any(dim=1), y, torch.zeros_like(y)), None


class Recurrent(MaskedLayer):
    """nn.GRU or nn.LSTM (batch_first) over the real steps, which lie
    together anywhere in the sequence: they are moved to the start, packed,
    run and moved back; padding steps give 0.  mode "last": the final
    states, forward then backward; "all": every step's."""

    def run(self, x, mask):
        if mask is None:
            out, h = super().forward(x)
        else:
            n, t = mask.shape
            lengths = mask.sum(dim=1)
            start = mask.to(torch.int64).argmax(dim=1)
            steps = torch.arange(t, device=x.device)
            index = (start.unsqueeze(1) + steps).clamp(max=t - 1)
            aligned = x.gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[2]))
            packed = nn.utils.rnn.pack_padded_sequence(aligned, lengths.cpu(), batch_first=True,
                                                       enforce_sorted=False)
            out_p, h = super().forward(packed)
            out_a, _ = nn.utils.rnn.pad_packed_sequence(out_p, batch_first=True, total_length=t)
            out = torch.zeros_like(out_a)
            keep = steps.unsqueeze(0) < lengths.unsqueeze(1)
            rows = torch.arange(n, device=x.device).unsqueeze(1).expand(-1, t)
            out[rows[keep], index[keep]] = out_a[keep]
        if self.mode == "all":
            return out, mask
        h = h[0] if isinstance(h, tuple) else h
        dirs = 2 if self.bidirectional else 1
        return torch.cat(list(h[-dirs:]), dim=1), None


class GRU(Recurrent, nn.GRU):
    def __init__(self, inputs, hidden, layers, bidirectional, mode):
        nn.GRU.__init__(self, inputs, hidden, layers, batch_first=True, bidirectional=bidirectional)
        self.mode = mode

    def forward(self, x, mask=None):
        return self.run(x, mask)


class LSTM(Recurrent, nn.LSTM):
    def __init__(self, inputs, hidden, layers, bidirectional, mode):
        nn.LSTM.__init__(self, inputs, hidden, layers, batch_first=True, bidirectional=bidirectional)
        self.mode = mode

    def forward(self, x, mask=None):
        return self.run(x, mask)


class Attention(nn.Module, MaskedLayer):
    """Multi-head self-attention, Q K V from one Linear (rows Q, K, V);
    padding tokens are keys no query attends to."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def attend(self, x, mask=None):
        n, t, d = x.shape
        h, dh = self.heads, d // self.heads
        q, k, v = (z.reshape(n, t, h, dh).transpose(1, 2) for z in self.qkv(x).split(d, dim=-1))
        s = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(dh))
        if mask is not None:
            s = s.masked_fill(~mask[:, None, None, :], float("-inf"))
        p = torch.softmax(s, dim=-1)
        return self.proj((p @ v).transpose(1, 2).reshape(n, t, d))

    def forward(self, x, mask=None):
        return self.attend(x, mask), mask


class TransformerBlock(Attention):
    """Pre-norm: r = x + attention(norm1(x)); y = r + fc2(gelu(fc1(norm2(r))))."""

    def __init__(self, dim, heads, hidden, eps):
        super().__init__(dim, heads)
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x, mask=None):
        r = x + self.attend(self.norm1(x), mask)
        return r + self.fc2(F.gelu(self.fc1(self.norm2(r)))), mask


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.ModuleDict(build_backbone())
        self.heads = nn.ModuleDict({name: nn.ModuleDict(layers) for name, layers in build_heads().items()})

    def forward(self, x):
        mask = None
        if INPUT_KIND == "pixels":
            x = x.permute(0, 2, 3, 1)      # N x C x H x W -> the engine's N x H x W x C
        elif INPUT_KIND == "tokens":
            mask = x != 0
        taps = {"": (x, mask)}
        for name, layer in self.backbone.items():
            x, mask = apply_layer(layer, x, mask)
            taps[name] = (x, mask)
        out = {}
        for name, layers in self.heads.items():
            y, m = taps[HEADS[name]["input"]]
            for layer in layers.values():
                y, m = apply_layer(layer, y, m)
            out[name] = y
        return out


def apply_layer(layer, x, mask):
    """(output, its mask): a layer that keeps the tokens keeps the mask."""
    if isinstance(layer, MaskedLayer):
        return layer(x, mask)
    y = layer(x)
    keeps = mask is not None and y.dim() == 3 and y.shape[1] == x.shape[1]
    return y, mask if keeps else None


def encode(words, length=None):
    """Words as token ids (N x length, right-aligned: the last characters
    kept), with this project's VOCABULARY; unknown characters are token 1."""
    length = length or INPUT_SHAPE[0]
    ids = torch.zeros(len(words), length, dtype=torch.int64)
    for i, w in enumerate(words):
        tail = w[-length:]
        for j, c in enumerate(tail):
            k = VOCABULARY.find(c)
            ids[i, length - len(tail) + j] = k + 2 if k >= 0 else 1
    return ids


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

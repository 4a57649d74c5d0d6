"""peer_torch_blas.py — the OpenBLAS that PyTorch loaded, for the peers
(peer_torch.py, peer_torch_seq.py): its kernel set and its threads.  Import
it after setting the thread counts in the environment, with torch imported."""

import ctypes

import torch


def openblas():
    """The OpenBLAS torch loaded (dlopen of a loaded library returns it)."""
    for name in ("libopenblas.so.0", "libopenblas.so"):
        try:
            return ctypes.CDLL(name)
        except OSError:
            pass
    return None


def blas_core():
    lib = openblas()
    if lib is None or not hasattr(lib, "openblas_get_corename"):
        return None
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return lib.openblas_get_corename().decode()


def set_threads(n):
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set, or parallel work already started
    lib = openblas()
    if lib is not None and hasattr(lib, "openblas_set_num_threads"):
        lib.openblas_set_num_threads(ctypes.c_int(n))

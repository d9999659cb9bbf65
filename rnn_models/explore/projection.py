"""PCA of a hidden-state trajectory, in plain numpy."""

from dataclasses import dataclass

import numpy as np


@dataclass
class Projection:
    coords: np.ndarray  # (T, k) positions of each step in the top-k principal directions
    explained: np.ndarray  # (k,) fraction of the variance each direction explains


def pca(states: np.ndarray, k: int = 3) -> Projection:
    """Project (T, U) states onto their k principal components (SVD of the centred matrix)."""
    x = np.asarray(states, dtype=float)
    x = x - x.mean(axis=0)
    k = max(1, min(k, x.shape[0], x.shape[1]))
    u, s, _ = np.linalg.svd(x, full_matrices=False)
    total = float((s ** 2).sum())
    explained = (s[:k] ** 2) / total if total > 0 else np.zeros(k)
    coords = u[:, :k] * s[:k]
    # a fixed sign per direction so the same states always give the same picture
    signs = np.sign(coords[np.abs(coords).argmax(axis=0), np.arange(k)])
    signs[signs == 0] = 1
    return Projection(coords=coords * signs, explained=explained)

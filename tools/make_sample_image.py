"""Makes data/sample.png, the demo's default input: a 640x480 RGB test card with gratings at
several orientations and wavelengths (what a Gabor filter picks apart), edges, a ring and a
little noise. Deterministic; run with the venv's python (numpy and Pillow come with halide)."""
import numpy as np
from PIL import Image

h, w = 480, 640
y, x = np.mgrid[0:h, 0:w].astype(np.float64)
img = np.zeros((h, w, 3))
# Four quadrants of gratings: orientation 0, 45, 90, 135 degrees; wavelengths 8 to 20 px.
for i, (theta, lam) in enumerate([(0, 8), (np.pi / 4, 12), (np.pi / 2, 16), (3 * np.pi / 4, 20)]):
    qy, qx = divmod(i, 2)
    mask = (y >= qy * h / 2) & (y < (qy + 1) * h / 2) & (x >= qx * w / 2) & (x < (qx + 1) * w / 2)
    g = 0.5 + 0.4 * np.cos(2 * np.pi * (x * np.cos(theta) + y * np.sin(theta)) / lam)
    for c, tint in enumerate([(1.0, 0.8, 0.6), (0.6, 1.0, 0.8), (0.8, 0.6, 1.0), (1.0, 1.0, 1.0)][i]):
        img[..., c] = np.where(mask, g * tint, img[..., c])
# A ring and a filled square: edges in every direction.
r = np.hypot(x - w / 2, y - h / 2)
img[(r > 90) & (r < 110)] = (0.95, 0.9, 0.2)
img[200:280, 40:120] = (0.1, 0.2, 0.9)
rng = np.random.default_rng(2026)
img += rng.normal(0, 0.02, img.shape)
Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)).save("data/sample.png", optimize=True)

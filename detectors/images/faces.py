"""Face detection, offline: OpenCV's frontal-face Haar cascade `alt2` (shipped inside the
opencv-python-headless<5 wheel, so no model download; chosen over `default` and `alt` on
bench/bench_images.py, see docs/images.md).

`find_faces` takes a grey-scale picture as a numpy array and returns face boxes. Pictures
too small to hold a recognisable face (icons, logos, spacer gifs) are skipped by size
before the detector runs: see `too_small`.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

MIN_SIDE = 48             # px: narrower or lower pictures are icons, bullets, spacer gifs
MIN_PIXELS = 64 * 64      # px²: smaller pictures are logos and signatures' decorations
MAX_SIDE = 1600           # px: larger pictures are scaled down first (faces stay ≥ 24 px)
MIN_FACE_FRACTION = 0.04  # a face smaller than this share of the picture's shorter side is ignored
PAD_FRACTION = 0.15       # border added around the picture: tightly cropped portraits are found too
MIN_NEIGHBORS = 5         # overlapping detections needed for a face (higher: fewer false faces)
CASCADE = "haarcascade_frontalface_alt2.xml"


def too_small(width: int, height: int) -> bool:
    """True for pictures too small to hold a face worth reporting."""
    return min(width, height) < MIN_SIDE or width * height < MIN_PIXELS


@lru_cache(maxsize=1)
def _cascade():
    import cv2  # heavy (OpenCV): imported when the first picture is analysed

    path = f"{cv2.data.haarcascades}{CASCADE}"
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        raise RuntimeError(f"OpenCV's face model {path} is missing: reinstall opencv-python-headless<5")
    return cascade


def find_faces(gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of the frontal faces in a grey-scale picture, in its own pixels."""
    import cv2  # heavy (OpenCV): imported when the first picture is analysed

    height, width = gray.shape[:2]
    if too_small(width, height):
        return []
    scale = min(1.0, MAX_SIDE / max(width, height))
    if scale < 1.0:
        gray = cv2.resize(gray, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    pad = round(min(gray.shape[:2]) * PAD_FRACTION)
    gray = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    min_face = max(24, round(min(gray.shape[:2]) * MIN_FACE_FRACTION))
    boxes = _cascade().detectMultiScale(gray, scaleFactor=1.1, minNeighbors=MIN_NEIGHBORS, minSize=(min_face, min_face))
    return [(round((x - pad) / scale), round((y - pad) / scale), round(w / scale), round(h / scale)) for x, y, w, h in boxes]

"""Image analysis: a `scanner.model.Image` in, findings out.

Faces (detectors/images/faces.py) give a "photograph of a person" finding with the number of
faces; OCR text (detectors/images/ocr.py) goes through the same text detectors as any other
text, at the sub-location "<where> (OCR)". A picture with a face *and* contact details
(a name, phone or e-mail read from it) is one "business card with photo" finding
instead. `analyse_image` is a plain function of picklable arguments, so it can run in
a worker process.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

from detectors.recognizers import category_of
from detectors.detector import Detector
from detectors.images.faces import find_faces, too_small
from detectors.images.ocr import DEFAULT_SECONDS, OcrError, read_text
from detectors.types import Finding, Image, Segment

PHOTO_OF_PERSON = "PHOTO_OF_PERSON"
BUSINESS_CARD_WITH_PHOTO = "BUSINESS_CARD_WITH_PHOTO"
FACE_SCORE = 0.7           # the Haar cascade gives no calibrated score; see docs/images.md
BUSINESS_CARD_SCORE = 0.85  # a face and contact details on one picture
MAX_PIXELS = 60_000_000     # larger pictures are refused (decompression bombs)
OCR_MAX_SIDE = 4200         # px: larger pictures are scaled down before OCR (≈ A4 at 350 dpi)


@dataclass(frozen=True)
class ImageSettings:
    """How images are analysed: OCR on or off (`--ocr/--no-ocr`) and its time bound per picture."""

    ocr: bool = True
    ocr_seconds: float = DEFAULT_SECONDS


@dataclass
class ImageAnalysis:
    """What one picture gave: findings, and (where, reason) for parts that could not be read."""

    findings: list[Finding] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    faces: int = 0


class TooLarge(Exception):
    """A picture with more pixels than MAX_PIXELS (a decompression bomb, or a poster scan)."""


def _open(data: bytes):
    from PIL import Image as PILImage, ImageOps  # heavy: imported when the first picture is analysed

    picture = PILImage.open(io.BytesIO(data))
    if picture.width * picture.height > MAX_PIXELS:
        raise TooLarge(f"picture too large to analyse ({picture.width}x{picture.height} pixels; "
                       f"the limit is {MAX_PIXELS // 1_000_000} megapixels)")
    picture.load()
    return ImageOps.exif_transpose(picture)  # a phone photo stored sideways, upright as it is shown


def _for_ocr(gray) -> bytes:
    """The grey picture as PGM bytes for tesseract (lossless; PNG took up to a second per page
    to write), scaled down first when larger than OCR_MAX_SIDE."""
    from PIL import Image as PILImage  # heavy: imported when the first picture is analysed

    if max(gray.size) > OCR_MAX_SIDE:
        gray = gray.copy()
        gray.thumbnail((OCR_MAX_SIDE, OCR_MAX_SIDE), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    gray.save(out, format="PPM")
    return out.getvalue()


def analyse_image(image: Image, detector: Detector, settings: ImageSettings = ImageSettings()) -> ImageAnalysis:
    """Faces, OCR text findings and the business-card rule for one picture. Never raises for bad pictures."""
    out = ImageAnalysis()
    where = image.where or "image"
    try:
        picture = _open(image.data)
        gray = picture.convert("L")
    except TooLarge as exc:
        out.problems.append((where, str(exc)))
        return out
    except Exception as exc:  # Pillow raises many types on damaged pictures
        out.problems.append((where, f"damaged or unreadable picture ({type(exc).__name__}: {exc})"))
        return out
    if too_small(*gray.size):
        return out
    faces = find_faces(np.asarray(gray))
    out.faces = len(faces)
    if settings.ocr:
        try:
            text = read_text(_for_ocr(gray), settings.ocr_seconds)
            out.findings.extend(detector.findings(Segment(text, where=f"{where} (OCR)")))
        except OcrError as exc:
            out.problems.append((f"{where} (OCR)", str(exc)))
    elif image.needs_ocr:
        out.problems.append((f"{where} (OCR)", "not OCR'd: OCR was turned off (--no-ocr)"))
    if faces:
        card = any(f.category == "contact" for f in out.findings)
        entity_type = BUSINESS_CARD_WITH_PHOTO if card else PHOTO_OF_PERSON
        out.findings.insert(0, Finding(
            entity_type=entity_type,
            category=category_of(entity_type),
            score=BUSINESS_CARD_SCORE if card else FACE_SCORE,
            masked=f"{len(faces)} face{'s' if len(faces) > 1 else ''}",
            value_hash=detector.hasher.of_bytes(entity_type, image.data),
            where=where,
        ))
    return out

"""Image files: .jpg, .png, .tif, .bmp, .gif, .webp become `Content(images=[...])`.

The bytes are checked with Pillow here, so a damaged file is "could not inspect" with a
reason; faces and OCR happen in image analysis (detectors/images/analysis.py). A multi-page TIFF
(a scanned letter) gives one picture per page, "page N"; any other file one picture,
"image" (an animated GIF: its first frame).
"""
from __future__ import annotations

import io

from scanner.extract import CouldNotInspect, extractor
from scanner.extract.bounds import read_bounded
from scanner.model import Blob, Content, Image

MAX_PAGES = 500
MAX_IMAGE_BYTES = 256 * 1024 * 1024  # the file is read whole; a bigger "picture" is recorded as too large


@extractor(".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp")
def extract_image(blob: Blob) -> Content:
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    data = read_bounded(blob, MAX_IMAGE_BYTES, "the picture file is")
    try:
        picture = PILImage.open(io.BytesIO(data))
        picture.verify()  # checks the file's structure without decoding every pixel
        picture = PILImage.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise CouldNotInspect(f"not really a picture, or a picture format this version cannot read ({blob.suffix})") from exc
    except Exception as exc:  # Pillow raises many types on damaged files
        raise CouldNotInspect(f"damaged picture file ({type(exc).__name__}: {exc})") from exc
    pages = getattr(picture, "n_frames", 1) if picture.format == "TIFF" else 1
    if pages == 1:
        return Content(images=[Image(data, "image", blob.name)])
    images = []
    for page in range(min(pages, MAX_PAGES)):
        picture.seek(page)
        out = io.BytesIO()
        picture.convert("L").save(out, format="PNG")
        images.append(Image(out.getvalue(), f"page {page + 1}", blob.name, needs_ocr=True))
    return Content(images=images)

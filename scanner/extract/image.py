"""Picture files in every format Pillow reads (.jpg, .png, .tif, .gif, .bmp, .webp, .ico,
.psd, .jp2, .tga, .pcx …) become `Content(images=[...])`.

The bytes are checked with Pillow here, so a damaged file is "could not inspect" with a
reason; faces and OCR happen in image analysis (detectors/images/analysis.py). A multi-page TIFF
(a scanned letter) gives one picture per page, "page N"; any other file one picture,
"image" (an animated GIF: its first frame). A "picture" whose bytes are text (a mail
system's `image001.gif not found!` placeholder left where the picture was) is "not really a
picture", and the reason says that it holds text.
"""
from __future__ import annotations

import io

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from scanner.extract import CouldNotInspect, extractor
from scanner.extract.bounds import read_bounded
from scanner.extract.encoding import looks_like_text
from scanner.model import Blob, Content, Image

MAX_PAGES = 500
MAX_IMAGE_BYTES = 256 * 1024 * 1024  # the file is read whole; a bigger "picture" is recorded as too large
# Pillow formats left out: data files rather than pictures, and those Pillow only names but
# needs a plug-in, Ghostscript or Windows to draw.
NOT_PICTURES = {"BUFR", "GRIB", "HDF5", "MPEG", "EPS", "WMF", "FITS", "IPTC"}


def picture_suffixes() -> list[str]:
    """Every file suffix of a picture format the installed Pillow opens."""
    PILImage.init()
    return sorted(suffix for suffix, kind in PILImage.registered_extensions().items()
                  if kind in PILImage.OPEN and kind not in NOT_PICTURES)


@extractor(*picture_suffixes())
def extract_image(blob: Blob) -> Content:
    data = read_bounded(blob, MAX_IMAGE_BYTES, "the picture file is")
    try:
        picture = PILImage.open(io.BytesIO(data))
        picture.verify()  # checks the file's structure without decoding every pixel
        picture = PILImage.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        if looks_like_text(data):
            raise CouldNotInspect(f"not really a picture: the {blob.suffix} file holds {len(data)} bytes of text "
                                  "(a placeholder left where a picture was?)") from exc
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

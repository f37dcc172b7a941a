"""Benchmark for pictures and scanned paper (not a unit test): faces, Danish OCR, speed.

Builds a labelled image set offline and measures what docs/images.md reports:

- faces: scikit-image's bundled `astronaut` and `lfw_subset` (100 face / 100 non-face
  patches of 25x25 px, shown as 150x150 photos), business cards drawn with and without
  a photo (the photos are the lfw faces and the astronaut), logos, text-only pages.
  Face precision and recall per picture; the issue's targets are recall >= 0.95 on
  business-card photos and no face on logos or text-only cards.
- OCR: Danish letters with æ, ø, å typed at 11 pt and "scanned" at 200 and 300 dpi;
  character accuracy = 1 - edit distance / reference length (whitespace normalised).
  Target: >= 0.97 on clean 300-dpi text.
- speed: pictures per second for face detection, seconds per page for OCR, and the
  whole image analysis (faces + OCR + detectors) per business card.

    .venv/bin/python bench/bench_images.py            # tesseract (what datakort uses)
    python bench/bench_images.py --ocr-engine rapidocr  # OCR part only, in a venv with rapidocr_onnxruntime
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _sample_generator():
    spec = importlib.util.spec_from_file_location("sample_share", REPO / "samples" / "interket" / "make_share.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


share = _sample_generator()

FIRST = ["Søren", "Åse", "Bjørn", "Mette", "Jørgen", "Lærke", "Ærø", "Kirsten", "Mads", "Sørine"]
LAST = ["Østergård", "Bæk", "Højgaard", "Nørgaard", "Kjær", "Lauridsen", "Ødegård", "Brøndum", "Dahl", "Æbelø"]
LETTER_BODY = [
    "Vedrørende jeres ordre på æsker, etiketter og krympesleeves",
    "Tak for et godt møde i sidste uge på kontoret i Århus. Som aftalt",
    "sender vi hermed en bekræftelse på ordren. Leveringen sker fra vores",
    "lager i Køge, og vi forventer, at varerne når frem inden for fjorten",
    "dage. Skulle der opstå spørgsmål til tryk, farver eller størrelser,",
    "er I velkomne til at kontakte mig på telefon eller e-mail.",
    "Vi glæder os til det fortsatte samarbejde og ønsker jer en god",
    "sæson med de nye produkter. Bemærk venligst, at priserne er",
    "ekskl. moms og fragt, og at betalingsfristen er netto otte dage.",
]


def person(i: int) -> dict:
    first, last = FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)]
    slug = share.ascii_slug(first)
    return {"name": f"{first} {last}", "phone": f"{20 + i % 70} {10 + i % 89:02d} {30 + i % 60} {40 + i % 50}",
            "email": f"{slug}.{share.ascii_slug(last)}@firma{i}.dk", "title": share.TITLES[i % len(share.TITLES)]}


def card_lines(p: dict) -> list[str]:
    return [p["name"], p["title"], "Nordic Kosmetik ApS", f"Tlf. {p['phone']}", p["email"]]


def letter_lines(i: int) -> list[str]:
    p = person(i)
    body = LETTER_BODY[i % 3:] + LETTER_BODY[:i % 3]
    return ["Nordic Kosmetik ApS", "Att.: Indkøbsafdelingen", "", *body, "", "Med venlig hilsen", p["name"],
            f"Telefon {p['phone']}", f"E-mail {p['email']}"]


def logo(i: int):
    from PIL import Image, ImageDraw
    picture = Image.new("RGB", (420, 160), "white")
    draw = ImageDraw.Draw(picture)
    colour = ["navy", "darkred", "darkgreen", "black", "orange"][i % 5]
    if i % 2:
        draw.ellipse((20, 20, 140, 140), outline=colour, width=12)
    else:
        draw.rectangle((20, 30, 120, 130), fill=colour)
    draw.text((160, 55), ["INTERKET", "Nordic Kosmetik", "Gudenå Kaffe", "Bjerre Emballage", "Fjordkøkken"][i % 5],
              fill=colour, font=share.font(36))
    return picture


def face_set() -> list[tuple[str, str, object, bool]]:
    """(group, name, PIL picture, has a face) for the face benchmark."""
    from PIL import Image
    from skimage import data

    lfw = data.lfw_subset()  # 100 faces, then 100 non-faces, 25x25 grey floats
    astronaut = Image.fromarray(data.astronaut())
    portrait = Image.open(share.PORTRAIT)

    def photo(patch):
        return Image.fromarray((patch * 255).astype(np.uint8)).resize((150, 150), Image.Resampling.BICUBIC)

    items = [("photo", "astronaut", astronaut, True)]
    items += [("photo", f"lfw face {i}", photo(lfw[i]), True) for i in range(100)]
    items += [("non-face patch", f"lfw non-face {i}", photo(lfw[100 + i]), False) for i in range(100)]
    faces_for_cards = [portrait] + [photo(lfw[i]).convert("RGB") for i in range(100)]
    items += [("card with photo", f"card {i}", share.draw_business_card(card_lines(person(i)), face), True)
              for i, face in enumerate(faces_for_cards)]
    items += [("card without photo", f"card {i}", share.draw_business_card(card_lines(person(i))), False) for i in range(50)]
    items += [("logo", f"logo {i}", logo(i), False) for i in range(10)]
    items += [("text page", f"letter {i}", share.draw_scanned_page(letter_lines(i), dpi=dpi, size_mm=(210, 297)), False)
              for i, dpi in enumerate((150, 200, 300, 300, 300))]
    for i in range(10):  # an application scanned at 300 dpi with a passport photo (35x45 mm) in the corner
        page = share.draw_scanned_page(letter_lines(i), dpi=300, size_mm=(210, 297))
        page.paste((portrait if i == 0 else photo(lfw[i * 7])).convert("L").resize((413, 531)), (1850, 150))
        items.append(("page with passport photo", f"application {i}", page, True))
    for k in range(3):  # 12 people in a 4000x3000 photo
        group = Image.new("L", (4000, 3000), 180)
        for j in range(12):
            group.paste(photo(lfw[(j + k * 12) % 100]).resize((260, 260)), (200 + (j % 6) * 620, 600 + (j // 6) * 1000))
        items.append(("group photo (12 faces)", f"group {k}", group, True))
    for name in ("coffee", "chelsea", "rocket", "coins", "text", "page", "horse", "hubble_deep_field"):
        items.append(("other picture", name, Image.fromarray(getattr(data, name)()), False))
    return items


def bench_faces() -> None:
    from detectors.images.faces import find_faces
    items = face_set()
    groups: dict[str, list[int]] = {}
    tp = fp = fn = tn = 0
    started = time.perf_counter()
    counts = []
    for group, name, picture, has_face in items:
        n = len(find_faces(np.asarray(picture.convert("L"))))
        found = n > 0
        if group.startswith("group photo"):
            counts.append(n)
        g = groups.setdefault(group, [0, 0])
        g[0] += found
        g[1] += 1
        tp += found and has_face
        fp += found and not has_face
        fn += has_face and not found
        tn += not found and not has_face
    seconds = time.perf_counter() - started
    print(f"faces: {len(items)} pictures, {len(items) / seconds:.0f} pictures/s (detection only)")
    for group, (found, total) in groups.items():
        print(f"  {group:24s} face reported on {found:3d} of {total:3d}")
    print(f"  faces counted on the group photos (12 each): {counts}")
    print(f"  precision {tp / max(tp + fp, 1):.3f}  recall {tp / max(tp + fn, 1):.3f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_accuracy(reference: str, read: str) -> float:
    reference, read = " ".join(reference.split()), " ".join(read.split())
    return 1 - edit_distance(reference, read) / len(reference)


def ocr_engine(name: str):
    """A function PNG bytes -> text for the named engine."""
    if name == "tesseract":
        from detectors.images.ocr import read_text
        return read_text
    from rapidocr_onnxruntime import RapidOCR
    engine = RapidOCR()

    def read(png: bytes) -> str:
        result, _ = engine(png)
        return "\n".join(line[1] for line in result or [])
    return read


def roughen(picture, seed: int):
    """A page as a cheap office scanner returns it: a little skew, blur and noise."""
    from PIL import Image, ImageFilter
    rng = np.random.default_rng(seed)
    picture = picture.rotate(0.8, resample=Image.Resampling.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    noisy = np.asarray(picture, dtype=np.float32) + rng.normal(0, 14, (picture.height, picture.width))
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8))


def bench_ocr(engine_name: str, pages: int) -> None:
    read = ocr_engine(engine_name)
    for dpi, rough in ((300, False), (200, False), (300, True)):
        accuracies, seconds, danish_right, danish_total = [], 0.0, 0, 0
        for i in range(pages):
            lines = letter_lines(i)
            picture = share.draw_scanned_page(lines, dpi=dpi, size_mm=(210, 297))
            if rough:
                picture = roughen(picture, i)
            out = io.BytesIO()
            picture.save(out, format="PNG")
            started = time.perf_counter()
            text = read(out.getvalue())
            seconds += time.perf_counter() - started
            reference = "\n".join(lines)
            accuracies.append(char_accuracy(reference, text))
            words = {w.strip(".,") for w in reference.split() if any(c in w for c in "æøåÆØÅ")}
            danish_total += len(words)
            danish_right += sum(w in text for w in words)
        print(f"OCR {engine_name} at {dpi} dpi (A4, 11 pt{', skew+blur+noise' if rough else ''}): character accuracy {np.mean(accuracies):.4f} "
              f"(min {min(accuracies):.4f}), words with æøå read right {danish_right}/{danish_total}, "
              f"{seconds / pages:.2f} s/page")


def bench_analysis(n: int) -> None:
    """Whole image analysis (faces + OCR + text detectors) on business cards."""
    from PIL import Image

    from detectors.detector import Detector
    from detectors.images.analysis import BUSINESS_CARD_WITH_PHOTO, analyse_image
    from scanner.model import Image as ModelImage
    detector = Detector(b"b" * 32)
    portrait = Image.open(share.PORTRAIT)
    cards = []
    for i in range(n):
        out = io.BytesIO()
        share.draw_business_card(card_lines(person(i)), portrait if i % 2 == 0 else None).save(out, format="JPEG")
        cards.append((out.getvalue(), i % 2 == 0))
    started = time.perf_counter()
    right = 0
    for data, with_photo in cards:
        findings = analyse_image(ModelImage(data, "image"), detector).findings
        is_card = any(f.entity_type == BUSINESS_CARD_WITH_PHOTO for f in findings)
        right += is_card == with_photo
    seconds = time.perf_counter() - started
    print(f"analysis (faces + OCR + detectors): {n} business cards 85x55 mm at 300 dpi, {n / seconds:.2f} cards/s, "
          f"'business card with photo' right on {right}/{n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ocr-engine", choices=("tesseract", "rapidocr"), default="tesseract")
    parser.add_argument("--pages", type=int, default=3, help="letters per resolution for the OCR benchmark")
    parser.add_argument("--cards", type=int, default=10, help="business cards for the whole-analysis benchmark")
    args = parser.parse_args()
    if args.ocr_engine == "tesseract":
        bench_faces()
    bench_ocr(args.ocr_engine, args.pages)
    if args.ocr_engine == "tesseract":
        bench_analysis(args.cards)
    import resource
    print(f"peak memory of this process (benchmark set, Presidio, OpenCV): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

"""Colours for press: an RGB token converted to the output intent's inks through its ICC profile
(LittleCMS, through Pillow's ImageCms), neutrals as tints of black alone."""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageCms

from ..source.assets import BUILDER

PROFILE = BUILDER / "profiles" / "FOGRA39L-coated.icc"  # the print variant's output intent (pdf/pdfx.py)
TOTAL_INK = 3.0  # the most ink (sum of C, M, Y, K, 0–1 each) a colour may take; FOGRA39 allows 3.3


@cache
def _transform() -> ImageCms.ImageCmsTransform:
    srgb = ImageCms.createProfile("sRGB")
    press = ImageCms.getOpenProfile(str(PROFILE))
    return ImageCms.buildTransform(srgb, press, "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def press_inks(rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
    """The inks (0–1, to two decimals) that print an sRGB colour on the press of the output intent.
    A neutral (grey, black) is black ink alone, never a four-colour near-black: it prints sharp,
    in register, and overprints where black text does."""
    if max(rgb) - min(rgb) <= 2:
        return (0.0, 0.0, 0.0, round(1 - sum(rgb) / 3 / 255, 2))
    converted = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _transform())
    assert converted is not None  # applyTransform returns None only when converting in place
    pixel = converted.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    inks = tuple(round(v / 255, 2) for v in pixel)
    total = sum(inks)
    if total > TOTAL_INK:  # a dark colour beyond the press's limit: less of every ink, in proportion
        inks = tuple(round(v * TOTAL_INK / total - 0.005, 2) for v in inks)
    return inks  # type: ignore[return-value]

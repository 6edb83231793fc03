"""Render the application icon: resources/icons/app/jitstudio.svg to PNGs of the usual sizes and a Windows .ico.

    python packaging/make_icons.py    # rewrite the PNGs and the .ico next to the SVG

The outputs are kept in the repository, so a build needs no rendering; run this after editing the SVG.
"""
from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app"
SVG = ICON_DIR / "jitstudio.svg"
ICO = ICON_DIR / "jitstudio.ico"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICON_DIR / f"jitstudio-{size}.png"


def outputs() -> list[Path]:
    return [*(png_path(size) for size in PNG_SIZES), ICO]


def render(svg: Path, size: int) -> bytes:
    """The SVG drawn at size × size pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    """A .ico holding PNG-compressed images (supported by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def write_all() -> list[Path]:
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - QPainter needs one
    rendered = {size: render(SVG, size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    for size in PNG_SIZES:
        png_path(size).write_bytes(rendered[size])
    ICO.write_bytes(ico({size: rendered[size] for size in ICO_SIZES}))
    return outputs()


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    for path in write_all():
        print(f"wrote {path.relative_to(ICON_DIR.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

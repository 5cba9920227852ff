"""Render the app icon (an SVG) to the hicolor theme's PNG sizes, with Qt, for the Debian package.

    python packaging/render_icons.py resources/icons/secure-message.svg OUT_DIR

writes OUT_DIR/<N>x<N>/apps/clinic-desk.png for each size and OUT_DIR/scalable/apps/clinic-desk.svg.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_BLUE = "#1565C0"  # the "uses the portal" blue (clinic_desk/ui/colors.py); the SVG's tint is currentColor
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
NAME = "clinic-desk"


def main(svg: Path, out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication(sys.argv[:1])
    text = svg.read_text(encoding="utf-8").replace("currentColor", APP_BLUE)
    renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
    if not renderer.isValid():
        print(f"render_icons: {svg} is not an SVG Qt can draw", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        folder = out / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not image.save(str(folder / f"{NAME}.png"), "PNG"):
            print(f"render_icons: cannot write {folder}", file=sys.stderr)
            return 1
    scalable = out / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    (scalable / f"{NAME}.svg").write_text(text, encoding="utf-8")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))

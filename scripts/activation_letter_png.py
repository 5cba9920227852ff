"""Render the activation letter, in English and in Spanish, to PNG pictures for the README.

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen python scripts/activation_letter_png.py [OUT_DIR]

Writes activation-letter.png and activation-letter-es.png (1000 px across, A4) into OUT_DIR
(default docs/screenshots). The patient, clinic and code are made up; no database is used.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from clinic_desk import ActivationCode
from clinic_desk.ui.activation_letter.letter_output import letter_image, letter_of

PRINTED_ON = date(2026, 11, 27)
SAMPLES = {
    "activation-letter.png": ("Ana Diaz", "en"),
    "activation-letter-es.png": ("Lucía Fernández", "es"),
}


def main(out_dir: Path) -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (patient, language) in SAMPLES.items():
        code = ActivationCode(
            patient_id=1,
            code="KQ7MX4PD",
            expires_at=datetime(2026, 12, 27, 17, 0, tzinfo=UTC),
            patient_name=patient,
            language=language,
            clinic_name="Harbor Family Clinic",
            activate_url="https://portal.harborclinic.example/activate",
        )
        words, symbol = letter_of(code, PRINTED_ON)
        path = out_dir / name
        image, _qr = letter_image(words, symbol)
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
        print(path)
    del app


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))

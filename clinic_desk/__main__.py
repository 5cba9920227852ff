"""``python -m clinic_desk``: the same as the ``clinic-desk`` command."""

from clinic_desk.cli import main

raise SystemExit(main())

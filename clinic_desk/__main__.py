"""``python -m clinic_desk``: the same as the ``clinic-desk`` command."""

import multiprocessing

if __name__ == "__main__":
    # A bulk load's worker processes start this program again (frozen app: the bundle).
    multiprocessing.freeze_support()
    from clinic_desk.cli import main

    raise SystemExit(main())

"""``python -m clinic_desk``: the same as the ``clinic-desk`` command."""

import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # The bundle is started again as a bulk load's worker process: freeze_support runs the
        # worker and exits. Imported only there: multiprocessing costs the window's start time.
        import multiprocessing

        multiprocessing.freeze_support()
    from clinic_desk.cli import main

    raise SystemExit(main())

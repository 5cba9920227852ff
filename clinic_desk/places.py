"""Where Clinic Desk keeps its files on this computer: the clinic file, the demo's, the settings.

Only the standard library and platformdirs: the window shell asks it before SQLAlchemy loads
(is this the first start?), and the database and connection code ask the same names here.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_FOLDER = "clinic-desk"
CONFIG_DIR_ENV = "CLINIC_DESK_CONFIG_DIR"  # tests point it at a temporary folder
SETTINGS_FILE = "connection.json"
CLINIC_FILE = "clinic.db"
# The demo's own file beside the real one: trying the demo never touches the clinic's data.
DEMO_FILE = "demo-clinic.db"


def data_folder() -> Path:
    """The user's data folder for Clinic Desk (the local clinic file lives here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_FOLDER, appauthor=False)


def default_clinic_file() -> Path:
    """The local clinic database ("this computer only")."""
    return data_folder() / CLINIC_FILE


def demo_clinic_file() -> Path:
    """The demo clinic's database, never the real clinic's."""
    return data_folder() / DEMO_FILE


def connection_settings_file() -> Path:
    """The saved connection choice (``$CLINIC_DESK_CONFIG_DIR`` overrides the folder)."""
    folder = os.environ.get(CONFIG_DIR_ENV)
    if folder:
        return Path(folder) / SETTINGS_FILE
    from platformdirs import user_config_path

    return user_config_path(APP_FOLDER, appauthor=False) / SETTINGS_FILE


def is_first_start() -> bool:
    """True on a computer with no clinic yet: no saved connection and no local clinic file."""
    return not connection_settings_file().exists() and not default_clinic_file().exists()

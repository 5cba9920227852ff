"""The "Clinic settings…" dialog: one page per topic, checked and saved through ``clinic.setup``.

``dialog`` holds the dialog itself, ``fields`` the captions and layout helpers, and
``clinic_page``, ``links_page`` and ``server_page`` build one tab each.
"""

from clinic_desk.ui.settings.dialog import ClinicSettingsDialog, open_settings_dialog

__all__ = ["ClinicSettingsDialog", "open_settings_dialog"]

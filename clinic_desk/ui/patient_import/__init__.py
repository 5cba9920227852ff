"""File ▸ Import patients…: preview, dry run, import with progress and Cancel, the report as CSV."""

from clinic_desk.ui.patient_import.import_tools import ImportTools, install_patient_import

__all__ = ["ImportTools", "install_patient_import"]

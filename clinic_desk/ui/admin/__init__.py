"""Clinic administration in the window: staff accounts, the clinic-wide audit log and its CSV export.

``install_admin_tools(window)`` adds the menu entries (administrators: staff accounts;
managers and administrators: the audit log) and mirrors the signed-in role in the wizard.
"""

from clinic_desk.ui.admin.admin_tools import AdminTools, install_admin_tools

__all__ = ["AdminTools", "install_admin_tools"]

"""Staff at the window: sign-in, the first administrator, lock, idle lock and switch user."""

from clinic_desk.ui.staff.staff_session import Mode, StaffSession

__all__ = ["Mode", "StaffSession"]

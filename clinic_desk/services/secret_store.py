"""Passwords Clinic Desk must remember (SMTP, database servers), kept in the OS keyring.

Never in a file, the database or a log. When this computer has no working keyring
(a headless Linux box, say), the caller is told so with ``KeyringUnavailable`` and
may keep a password "for this run only", in memory.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from clinic_desk.domain.errors import KeyringUnavailable as KeyringUnavailable
from clinic_desk.services.settings import ClinicSettings

log = logging.getLogger(__name__)

SERVICE = "clinic-desk"

_NO_KEYRING = (
    "This computer has no password store (keyring) that Clinic Desk can use, so the "
    "password cannot be remembered. You can use it for this run only; it will be asked "
    "for again next time. To remember it, sign in to a desktop session with a keyring "
    "(GNOME Keyring, KWallet, Windows Credential Manager or the macOS Keychain)."
)

# Passwords kept "for this run only" when the keyring cannot be used (never written anywhere).
_run_only: dict[str, str] = {}
_run_only_lock = threading.Lock()


@dataclass(frozen=True)
class KeyringStatus:
    """Whether passwords can be remembered on this computer, in words for the settings page."""

    available: bool
    backend: str
    message: str


def keyring_status() -> KeyringStatus:
    """Say whether a usable keyring backend is configured (does not read any password)."""
    backend = keyring.get_keyring()
    name = _backend_name(backend)
    if _is_unusable(backend):
        return KeyringStatus(available=False, backend=name, message=_NO_KEYRING)
    return KeyringStatus(
        available=True, backend=name, message=f"Passwords are kept in this computer's keyring ({name})."
    )


def smtp_key(settings: ClinicSettings) -> str:
    """The keyring entry name of the SMTP password: one per server and user name."""
    host = settings.smtp_host.strip().lower()
    user = settings.smtp_username.strip()
    return f"smtp:{user}@{host}:{settings.smtp_port}"


def get_smtp_password(settings: ClinicSettings) -> str | None:
    """The SMTP password for the current settings, or None when none is stored."""
    return get_secret(smtp_key(settings))


def set_smtp_password(settings: ClinicSettings, password: str, *, remember: bool = True) -> None:
    """Store the SMTP password in the keyring (or, with ``remember=False``, for this run only)."""
    set_secret(smtp_key(settings), password, remember=remember)


def delete_smtp_password(settings: ClinicSettings) -> None:
    """Forget the SMTP password for the current settings (no error when none is stored)."""
    delete_secret(smtp_key(settings))


def get_secret(service_key: str) -> str | None:
    """A stored password: the "this run only" one first, then the keyring; None when absent.

    A missing or broken keyring reads as "no password" here: the caller asks the user,
    and ``set_secret`` then says why it cannot be remembered.
    """
    with _run_only_lock:
        if service_key in _run_only:
            return _run_only[service_key]
    backend = keyring.get_keyring()
    if _is_unusable(backend):
        return None
    try:
        return backend.get_password(SERVICE, service_key)
    except keyring.errors.KeyringError as error:
        # The kind of failure only, never the key's value.
        log.warning("keyring read failed (%s)", type(error).__name__)
        return None


def set_secret(service_key: str, value: str, *, remember: bool = True) -> None:
    """Remember a password in the OS keyring; ``remember=False`` keeps it in memory for this run.

    Raises:
        KeyringUnavailable: no usable keyring, or it refused (locked, no session bus...).
        ValueError: the password is empty.
    """
    if not value:
        raise ValueError("an empty password cannot be stored")
    if not remember:
        with _run_only_lock:
            _run_only[service_key] = value
        return
    backend = keyring.get_keyring()
    if _is_unusable(backend):
        raise KeyringUnavailable(_NO_KEYRING, field="password")
    try:
        backend.set_password(SERVICE, service_key, value)
    except keyring.errors.KeyringError as error:
        log.warning("keyring write failed (%s)", type(error).__name__)
        raise KeyringUnavailable(_NO_KEYRING, field="password") from error
    # A remembered password replaces any "this run only" one.
    with _run_only_lock:
        _run_only.pop(service_key, None)


def delete_secret(service_key: str) -> None:
    """Forget a password everywhere it may be kept (no error when it was not stored)."""
    with _run_only_lock:
        _run_only.pop(service_key, None)
    backend = keyring.get_keyring()
    if _is_unusable(backend):
        return
    try:
        backend.delete_password(SERVICE, service_key)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        log.warning("keyring delete failed (%s)", type(error).__name__)
        raise KeyringUnavailable(_NO_KEYRING, field="password") from error


def forget_run_only_secrets() -> None:
    """Drop every "this run only" password (on quit, and between tests)."""
    with _run_only_lock:
        _run_only.clear()


def _is_unusable(backend: KeyringBackend) -> bool:
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return True
    # A chainer with nothing behind it silently drops every password.
    return isinstance(backend, chainer.ChainerBackend) and not list(backend.backends)


def _backend_name(backend: KeyringBackend) -> str:
    name = getattr(backend, "name", "") or type(backend).__name__
    return str(name)

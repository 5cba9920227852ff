"""What the clinic tells patients: its own name, sender address, whitelist domain and portal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from clinic_desk.domain.email_checks import DEFAULT_PLACEHOLDER_DOMAIN, looks_like_email


class _SettingsLike(Protocol):
    """What :meth:`ClinicAdvice.from_settings` reads: the clinic settings, or anything shaped like them."""

    @property
    def clinic_name(self) -> str: ...
    @property
    def sender_address(self) -> str: ...
    @property
    def whitelist_domain(self) -> str: ...
    @property
    def placeholder_domain(self) -> str: ...
    @property
    def portal_url(self) -> str: ...


@dataclass(frozen=True)
class ClinicAdvice:
    """The clinic's own names and addresses the advice quotes (from the clinic settings).

    ``sender_address`` and ``whitelist_domain`` are what patients whitelist: a blank one
    would make the advice useless, so it raises ValueError instead.
    """

    clinic_name: str
    sender_address: str
    whitelist_domain: str
    placeholder_domain: str = DEFAULT_PLACEHOLDER_DOMAIN
    portal_url: str = ""

    def __post_init__(self) -> None:
        sender = (self.sender_address or "").strip()
        domain = (self.whitelist_domain or "").strip().lstrip("@").lower()
        placeholder = (self.placeholder_domain or "").strip().lower()
        if not sender:
            raise ValueError("The clinic's sender address is blank: set it in the clinic settings.")
        if not looks_like_email(sender) or any(ch.isspace() for ch in sender):
            raise ValueError(f"The clinic's sender address {sender!r} is not an email address.")
        if not domain:
            raise ValueError("The clinic's whitelist domain is blank: set it in the clinic settings.")
        if "." not in domain or any(ch.isspace() for ch in domain):
            raise ValueError(f"The clinic's whitelist domain {domain!r} is not a mail domain.")
        if not placeholder:
            raise ValueError("The placeholder email domain is blank: set it in the clinic settings.")
        object.__setattr__(self, "clinic_name", (self.clinic_name or "").strip() or "the clinic")
        object.__setattr__(self, "sender_address", sender)
        object.__setattr__(self, "whitelist_domain", domain)
        object.__setattr__(self, "placeholder_domain", placeholder)
        object.__setattr__(self, "portal_url", (self.portal_url or "").strip())

    @classmethod
    def from_settings(cls, settings: _SettingsLike) -> ClinicAdvice:
        """Take the advice from anything shaped like the clinic settings."""
        return cls(
            clinic_name=settings.clinic_name,
            sender_address=settings.sender_address,
            whitelist_domain=settings.whitelist_domain,
            placeholder_domain=settings.placeholder_domain,
            portal_url=settings.portal_url,
        )

    @property
    def portal(self) -> str:
        """'the patient portal (https://...)', how the advice names the portal."""
        return f"the patient portal ({self.portal_url})" if self.portal_url else "the patient portal"

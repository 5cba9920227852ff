"""How a patient makes sure the clinic's emails reach the inbox, told for their email provider.

Pure: the provider is guessed from the address's domain only (no DNS look-up), so a
clinic domain hosted by Google or Microsoft gets the generic steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GMAIL = "gmail"
OUTLOOK = "outlook"
YAHOO = "yahoo"
AOL = "aol"
ICLOUD = "icloud"
GENERIC = "generic"

# Country variants (hotmail.co.uk, yahoo.fr, outlook.com.br...) share the provider's steps.
_COUNTRY = r"(?:com|net|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})"
_PROVIDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (GMAIL, re.compile(r"(?:gmail\.com|googlemail\.com)")),
    (OUTLOOK, re.compile(rf"(?:outlook|hotmail|live|msn|windowslive|passport)\.{_COUNTRY}")),
    (YAHOO, re.compile(rf"(?:yahoo\.{_COUNTRY}|ymail\.com|rocketmail\.com)")),
    (AOL, re.compile(rf"(?:aol\.{_COUNTRY}|aim\.com|verizon\.net)")),
    (ICLOUD, re.compile(r"(?:icloud\.com|me\.com|mac\.com)")),
)

_NAMES = {
    GMAIL: "Gmail",
    OUTLOOK: "Outlook.com (Hotmail, Live, MSN)",
    YAHOO: "Yahoo Mail",
    AOL: "AOL Mail",
    ICLOUD: "iCloud Mail",
    GENERIC: "Other email provider",
}


@dataclass(frozen=True)
class WhitelistAdvice:
    """Numbered steps a receptionist can read to the patient (never empty)."""

    provider: str
    provider_name: str
    steps: tuple[str, ...]

    def as_text(self) -> str:
        """The steps as a numbered list, one per line."""
        return "\n".join(f"{number}. {step}" for number, step in enumerate(self.steps, start=1))


def provider_of(email: str | None) -> str:
    """'gmail', 'outlook', 'yahoo', 'aol', 'icloud' or 'generic' for an address (or a bare domain)."""
    domain = (email or "").strip().rsplit("@", 1)[-1].strip().rstrip(".").lower()
    for provider, pattern in _PROVIDERS:
        if pattern.fullmatch(domain):
            return provider
    return GENERIC


def whitelisting_advice(
    patient_email: str | None, sender_address: str, whitelist_domain: str = ""
) -> WhitelistAdvice:
    """Steps for the patient's provider to rescue the clinic's email from spam and trust the sender."""
    sender = sender_address.strip() or "the clinic's email address"
    domain = whitelist_domain.strip().lstrip("@") or (
        sender_address.rsplit("@", 1)[-1].strip() if "@" in sender_address else ""
    )
    provider = provider_of(patient_email)
    steps = _STEPS[provider](sender, domain)
    return WhitelistAdvice(provider=provider, provider_name=_NAMES[provider], steps=steps)


def _gmail(sender: str, domain: str) -> tuple[str, ...]:
    search = f"In the search box type from:{domain} and press Enter" if domain else f"Search for {sender}"
    return (
        "Open Gmail and go to the Spam folder (on a computer it is under “More” in the left menu).",
        f"{search} (tick “Include spam and trash” if offered).",
        "Open the clinic's email and click “Report not spam” (or “Not spam”).",
        f"Add {sender} to Google Contacts, so later emails go straight to the inbox.",
        _gmail_filter(domain) if domain else "Check the inbox: the clinic's email should now be there.",
    )


def _gmail_filter(domain: str) -> str:
    return (
        f"To trust the whole clinic: search for from:{domain}, open the search options, click "
        "“Create filter”, tick “Never send it to Spam” and click “Create filter”."
    )


def _outlook(sender: str, domain: str) -> tuple[str, ...]:
    return (
        "Open Outlook.com (Hotmail, Live or MSN mail) and go to the Junk Email folder.",
        f"Search for {sender}.",
        "Select the clinic's email and choose “Not junk” (under “Report” or the Junk menu).",
        "Open Settings (the gear), then Mail, then Junk email.",
        f"Under “Safe senders and domains” click “Add” and enter {domain or sender}, then click Save.",
    )


def _yahoo(sender: str, domain: str) -> tuple[str, ...]:
    return (
        "Open Yahoo Mail and go to the Spam folder.",
        f"Search for {sender}.",
        "Open the clinic's email and click “Not spam”.",
        f"Add {sender} to your Yahoo contacts (open the email, click the sender's name, “Add to contacts”).",
        f"Optional: in Settings, “More settings”, Filters, add a filter where From contains "
        f"{domain or sender} that moves mail to the Inbox.",
    )


def _aol(sender: str, domain: str) -> tuple[str, ...]:
    return (
        "Open AOL Mail and go to the Spam folder.",
        f"Search for {sender}.",
        "Open the clinic's email and click “Not spam”.",
        f"Add {sender} to your AOL contacts (click the sender's name, then “Add to contacts”).",
        f"Optional: in Settings, “More settings”, Filters, add a filter where From contains "
        f"{domain or sender} that moves mail to the Inbox.",
    )


def _icloud(sender: str, domain: str) -> tuple[str, ...]:
    return (
        "Open iCloud Mail (icloud.com/mail, or the Mail app on iPhone, iPad or Mac) "
        "and go to the Junk folder.",
        f"Look for the email from {sender}.",
        "Mark it “Not Junk” (on iPhone: open it, tap the Move button, choose Inbox).",
        f"Add {sender} to Contacts: iCloud delivers mail from contacts to the inbox.",
        "Check the inbox: the clinic's email should now be there.",
    )


def _generic(sender: str, domain: str) -> tuple[str, ...]:
    whole = f" (or the whole domain {domain})" if domain else ""
    return (
        "Open the email program or website and look in the Spam or Junk folder.",
        f"Search for mail from {sender}.",
        "Open the clinic's email and mark it “Not spam” or “Not junk”, or move it to the Inbox.",
        f"Add {sender}{whole} to the contacts or “safe senders” list.",
        "If it is still missing, ask whoever runs the email (often work or school IT) to allow "
        f"mail from {domain or sender}.",
    )


_STEPS = {
    GMAIL: _gmail,
    OUTLOOK: _outlook,
    YAHOO: _yahoo,
    AOL: _aol,
    ICLOUD: _icloud,
    GENERIC: _generic,
}

"""A POSTed form handed to one facade call: its fields as keywords, its problems shown on the form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from clinic_desk import ClinicDeskError, DatabaseUnavailable, OutcomeUnknown
from clinic_desk.portal.answers import form_errors
from clinic_desk.portal.client import client_source
from clinic_desk.portal.pages import call, checked_form, render, text, typed, words_for

# What a page shows again after a problem (never a password, a code or a token's secret).
KEPT = ("first_name", "last_name", "date_of_birth", "email", "zip_code", "username", "username_or_email")


async def form_action(
    request: Request,
    template: str,
    fields: tuple[str, ...],
    action: Callable[..., Any],
    *,
    page: Mapping[str, Any] | None = None,
    form: FormData | None = None,
    renamed: Mapping[str, str] | None = None,
    **extra: Any,
) -> tuple[Any, Response | None]:
    """Call ``action`` with the form's ``fields`` as keywords (plus ``extra`` and ``source``).

    Returns (its result, None), or (None, ``template`` shown again with the patient's problem
    and ``page`` as more of its context). ``renamed`` maps a service's field to the form's.
    """
    if form is None:
        form = await checked_form(request)
    given = {name: text(form, name) for name in fields}
    try:
        return await call(action, **given, **extra, source=client_source(request)), None
    except (DatabaseUnavailable, OutcomeUnknown):
        raise  # a fault, not the patient's doing: the 503 page
    except ClinicDeskError as error:
        shown = tuple(name for name in fields if name != "token")  # the fields with a place for a problem
        errors = form_errors(error, words_for(request), shown, renamed)
        kept = typed(form, *(name for name in fields if name in KEPT))
        return None, render(
            request, template, status_code=400, errors=errors, values=kept, **dict(page or {})
        )

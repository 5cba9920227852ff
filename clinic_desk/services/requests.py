"""Request ids: a staff action retried after an unknown outcome is done once and answers the same.

The caller makes one request id per user intention (one press of Save) and sends it
again when the receptionist retries. The id, the action's name and its JSON result are
written in the action's own transaction, so they exist exactly when the action was saved.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clinic_desk.db.models import DoneRequest
from clinic_desk.domain.errors import ValidationError

MAX_REQUEST_ID = 64  # characters; a UUID (36) or a ULID (26) fits
_NOT_DONE = object()


def clean_request_id(request_id: object) -> str | None:
    """The request id as given, or None; refuses anything but 1-64 printable ASCII characters."""
    if request_id is None:
        return None
    if (
        not isinstance(request_id, str)
        or not 0 < len(request_id) <= MAX_REQUEST_ID
        or not all("!" <= char <= "~" for char in request_id)
    ):
        raise ValidationError(
            f"Request id: use 1 to {MAX_REQUEST_ID} letters, digits or punctuation, without spaces.",
            field="request_id",
        )
    return request_id


def earlier_result(session: Session, request_id: str, action: str) -> Any:
    """What the action returned when this request id was done before, or ``NOT_DONE``.

    Raises:
        ValidationError: the request id was used for another action.
    """
    done = session.get(DoneRequest, request_id)
    if done is None:
        return _NOT_DONE
    if done.action != action:
        raise ValidationError(
            "This request id was already used for another action; make a new one for each action.",
            field="request_id",
        )
    return json.loads(done.result)


def was_done(result: Any) -> bool:
    """True when :func:`earlier_result` found the request done."""
    return result is not _NOT_DONE


def remember(session: Session, request_id: str, action: str, result: Any, at: datetime) -> None:
    """Record the request as done with its JSON-able ``result`` (in the action's transaction)."""
    session.add(DoneRequest(request_id=request_id, action=action, result=json.dumps(result), done_at=at))

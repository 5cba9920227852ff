"""The text gate at the door: a facade call's text arguments are checked before it runs.

Each argument named in ``TEXT_FIELDS`` gets that field's rule (the actor its own), so a
refused call never starts a transaction or takes the write lock, and a new argument of a
known kind is checked without anyone listing it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from clinic_desk.domain.text_rules import TEXT_FIELDS, check_text, clean_actor

P = ParamSpec("P")
T = TypeVar("T")

# Checked by rules of their own: a request id when the action runs (services/requests.py),
# a link's token by the portal's one uniform answer.
_OWN_RULES = frozenset({"request_id", "token"})


def checks_text(method: Callable[P, T]) -> Callable[P, T]:
    """Refuse bad text in ``method``'s arguments (the actor first) before it runs.

    Raises:
        ValidationError: naming the field at fault; nothing has been read or written.
    """
    signature = inspect.signature(method)
    fields = [name for name in signature.parameters if name in TEXT_FIELDS and name not in _OWN_RULES]
    has_actor = "actor" in fields
    if has_actor:
        fields.remove("actor")

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> T:
        given = signature.bind_partial(*args, **kwargs).arguments
        if has_actor and "actor" in given:
            clean_actor(given["actor"])
        for name in fields:
            if name in given:
                check_text(given[name], name)
        return method(*args, **kwargs)

    return checked

"""The live part of the facade (``clinic.live``): hear about other desks' changes, notice a lost server.

The window's change listeners wait on :meth:`LiveLink.changes`: each gets its share of the
desk's ONE :class:`~clinic_desk.services.change_feed.ChangeFeed` (services.change_hub), so a
desk holds one listening connection however many parts of the window listen. Its
outage monitor uses :meth:`LiveLink.watch_disconnects` and :meth:`LiveLink.ping`, so
nothing outside the services touches the engine.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from clinic_desk.services import connection
from clinic_desk.services.change_feed import ChangeFeed, ChangeSource
from clinic_desk.services.change_hub import ChangeHub


class LiveLink:
    """This desk's live link to the clinic database (``clinic.live``)."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._url = url
        self._hub = ChangeHub(lambda: ChangeFeed(url, engine))

    def changes(self) -> ChangeSource:
        """A share of this desk's change feed; the caller waits on it from one worker thread and closes it."""
        return self._hub.subscribe()

    @property
    def listeners(self) -> int:
        """How many listeners share this desk's one feed now."""
        return self._hub.listening

    def ping(self) -> None:
        """One cheap round trip to the database; raises DBAPIError when it cannot be reached (blocking)."""
        connection.ping(self._engine)

    def watch_disconnects(self, on_disconnect: Callable[[], None]) -> Callable[[], None]:
        """Call ``on_disconnect`` (on whichever thread saw it) whenever the server is lost.

        Returns a function that stops watching.
        """
        return connection.watch_disconnects(self._engine, on_disconnect)

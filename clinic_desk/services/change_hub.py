"""One change listener per desk, shared by everything in the window that wants live updates.

The roster and the open patient each listen for other desks' changes. Each used to open
its own feed, so a desk held two LISTEN connections besides its pool: with fifty desks
that alone is a hundred server connections. The hub runs ONE feed on one thread and hands
every batch to each subscriber; the feed (and its connection) closes with the last one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import suppress

from clinic_desk.services.change_feed import Changes, ChangeSource

FEED_WAIT_SECONDS = 1.0
# The first wait only connects and LISTENs; a new subscriber waits for that (at most this long),
# so what is committed after ``subscribe`` returns is heard.
READY_SECONDS = 5.0


def merged(first: Changes, second: Changes) -> Changes:
    """Two batches as one: what either says may have changed."""
    return Changes(
        patient_ids=first.patient_ids | second.patient_ids,
        everything=first.everything or second.everything,
        settings=first.settings or second.settings,
    )


class Subscription:
    """One listener's view of the desk's shared feed: ``wait`` and ``close`` like a feed."""

    def __init__(self, hub: ChangeHub) -> None:
        self._hub = hub
        self._batches: queue.SimpleQueue[Changes] = queue.SimpleQueue()
        self._closed = False

    def deliver(self, changes: Changes) -> None:
        """Called by the hub's thread with each batch."""
        if not self._closed:
            self._batches.put(changes)

    def wait(self, timeout: float) -> Changes:
        """Block up to ``timeout`` seconds for changes; what arrived meanwhile comes as one batch."""
        if self._closed:
            return Changes()
        try:
            batch = self._batches.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return Changes()
        while True:
            try:
                batch = merged(batch, self._batches.get_nowait())
            except queue.Empty:
                return batch

    def close(self) -> None:
        """Stop receiving; the last subscriber to close ends the shared feed."""
        if not self._closed:
            self._closed = True
            self._hub.unsubscribe(self)


class ChangeHub:
    """Runs one change feed for all of a desk's listeners (see the module docstring)."""

    def __init__(self, open_feed: Callable[[], ChangeSource]) -> None:
        self._open_feed = open_feed
        self._lock = threading.Lock()
        self._subscribers: list[Subscription] = []
        self._thread: threading.Thread | None = None
        self._stop: threading.Event | None = None
        self._ready = threading.Event()

    def subscribe(self) -> Subscription:
        """A new subscription; starts the shared feed when it is the first."""
        subscription = Subscription(self)
        with self._lock:
            self._subscribers.append(subscription)
            if self._thread is None:
                stop, ready = threading.Event(), threading.Event()
                self._stop, self._ready = stop, ready
                self._thread = threading.Thread(
                    target=self._run, args=(stop, ready), name="clinic-desk-change-hub", daemon=True
                )
                self._thread.start()
            ready = self._ready
        ready.wait(READY_SECONDS)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget ``subscription``; with none left the feed stops (within about a second)."""
        with self._lock:
            with suppress(ValueError):
                self._subscribers.remove(subscription)
            if not self._subscribers and self._stop is not None:
                self._stop.set()
                self._thread = None  # a later subscriber starts a fresh feed
                self._stop = None

    @property
    def listening(self) -> int:
        """How many subscribers share the feed now."""
        with self._lock:
            return len(self._subscribers)

    def _run(self, stop: threading.Event, ready: threading.Event) -> None:
        feed = self._open_feed()
        wait_seconds = 0.0  # the first round connects (and says "everything") at once
        try:
            while not stop.is_set():
                try:
                    changes = feed.wait(wait_seconds)
                except Exception:  # the feed says "everything" and tries again
                    changes = Changes(everything=True)
                    stop.wait(FEED_WAIT_SECONDS)
                wait_seconds = FEED_WAIT_SECONDS
                if changes and not stop.is_set():
                    with self._lock:
                        subscribers = list(self._subscribers)
                    for subscriber in subscribers:
                        subscriber.deliver(changes)
                ready.set()
        finally:
            ready.set()
            feed.close()

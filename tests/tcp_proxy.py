"""A small threaded TCP proxy on 127.0.0.1 between the app and a database server, for fault tests.

It can add latency, cut every connection (and refuse new ones: the listening socket
closes, so clients get "connection refused"), and restore::

    with TcpProxy("127.0.0.1", 5432) as proxy:
        proxy.latency = 0.2          # seconds added to every round trip (half each way)
        url = proxy.url_for("postgresql+psycopg://postgres@127.0.0.1:5432/db")
        proxy.cut()                  # every connection drops; new ones are refused
        proxy.restore()              # accepting again on the same port
        proxy.silent = True          # connections stay open (even new ones) but nothing is forwarded
        proxy.lose_next_commit_reply()  # the next COMMIT reaches the server; its reply never comes back

``round_trips`` counts, over all connections, each time a client speaks after the server
answered (TCP connects and TLS/auth handshakes included): the number of times the app
waited one latency for the server.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from types import TracebackType

from sqlalchemy.engine import make_url

CHUNK = 65536


class _Turns:
    """One connection's state: counts round trips (each time the client speaks after the server
    did) and remembers a COMMIT whose reply is to be lost."""

    def __init__(self, proxy: TcpProxy, client: socket.socket, server: socket.socket) -> None:
        self._proxy = proxy
        self._last_from_client: bool | None = None
        self._lock = threading.Lock()
        self.sockets = (client, server)
        self.commit_sent = False

    def saw(self, from_client: bool) -> None:
        with self._lock:
            if from_client and self._last_from_client is not True:
                self._proxy.count_round_trip()
            self._last_from_client = from_client


class _Pipe:
    """One direction of one connection: read, hold for half the latency, then write."""

    def __init__(
        self, proxy: TcpProxy, source: socket.socket, target: socket.socket, turns: _Turns, from_client: bool
    ) -> None:
        self._proxy = proxy
        self._turns = turns
        self._from_client = from_client
        self._source = source
        self._target = target
        self._queue: list[tuple[float, int, bytes]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._closed = False
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _read(self) -> None:
        try:
            while True:
                data = self._source.recv(CHUNK)
                if not data:
                    break
                if self._proxy.silent:
                    continue  # the server "hears" nothing and says nothing
                if self._from_client and self._proxy.take_commit_to_lose(data):
                    self._turns.commit_sent = True
                elif not self._from_client and self._turns.commit_sent:
                    self._proxy.drop(self._turns.sockets)  # the COMMIT's reply never arrives
                    break
                self._turns.saw(self._from_client)
                due = time.monotonic() + self._proxy.latency / 2
                with self._ready:
                    heapq.heappush(self._queue, (due, next(self._order), data))
                    self._ready.notify()
        except OSError:
            pass
        finally:
            with self._ready:
                self._closed = True
                self._ready.notify()

    def _write(self) -> None:
        try:
            while True:
                with self._ready:
                    while not self._queue and not self._closed:
                        self._ready.wait()
                    if not self._queue and self._closed:
                        break
                    due, _, data = self._queue[0]
                    wait = due - time.monotonic()
                    if wait > 0:
                        self._ready.wait(wait)
                        continue
                    heapq.heappop(self._queue)
                self._target.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                self._target.shutdown(socket.SHUT_WR)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; ``latency``, ``cut()`` and ``restore()`` for tests."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.latency = 0.0
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.connections_made = 0
        self.round_trips = 0
        self.silent = False
        self.commit_replies_lost = 0
        self._lose_commit_reply = False

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> TcpProxy:
        """Listen on a free port (or the same port again after a cut)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def close(self) -> None:
        """Stop listening and drop every connection."""
        self.cut()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    def url_for(self, url: str) -> str:
        """The same database URL, pointed at this proxy."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    # -- faults ------------------------------------------------------------------------------------
    def cut(self) -> None:
        """Drop every open connection and refuse new ones until :meth:`restore`."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        """Accept connections again (same port)."""
        if self._listener is None:
            self.start()

    def lose_next_commit_reply(self) -> None:
        """Let the next COMMIT reach the server, then cut that connection before its reply comes back."""
        with self._lock:
            self._lose_commit_reply = True

    def take_commit_to_lose(self, data: bytes) -> bool:
        """True (once) when ``data`` from a client carries the COMMIT whose reply is to be lost.

        psycopg sends COMMIT as a simple Query ('Q') or an extended Parse ('P') message; either
        way the statement's text ends with a NUL byte in the message.
        """
        if b"COMMIT\x00" not in data.upper():
            return False
        with self._lock:
            if not self._lose_commit_reply:
                return False
            self._lose_commit_reply = False
            self.commit_replies_lost += 1
            return True

    def drop(self, sockets: tuple[socket.socket, ...]) -> None:
        """Cut one connection (both sides) at once."""
        with self._lock:
            self._sockets.difference_update(sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def count_round_trip(self) -> None:
        """One more client request that waits for the server (see ``round_trips``)."""
        with self._lock:
            self.round_trips += 1

    @property
    def open_connections(self) -> int:
        """Client connections currently forwarded."""
        with self._lock:
            return len(self._sockets) // 2

    # -- forwarding --------------------------------------------------------------------------------
    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._listener is not listener:  # cut while connecting
                    client.close()
                    server.close()
                    return
                self._sockets.update((client, server))
                self.connections_made += 1
            turns = _Turns(self, client, server)
            _Pipe(self, client, server, turns, from_client=True)
            _Pipe(self, server, client, turns, from_client=False)

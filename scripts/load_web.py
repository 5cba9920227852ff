"""The portal processes, the patients' browsers and the mail workers of scripts/load.py (loopback only)."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PORTAL_POOL_SIZE = 2  # as `clinic-desk portal` (cli_portal.PORTAL_POOL_SIZE)
WRONG_PASSWORD = "not-the-password-1"


def with_app_name(url: str, name: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}application_name={name}"


def serve_portal(url: str, port: int, name: str) -> None:
    """One portal process (a multiprocessing target): the real app under uvicorn on loopback.

    Behind a pretend proxy, so each simulated browser can have its own address (the portal's
    per-address limits are about people, not about this test).
    """
    import uvicorn

    from clinic_desk import Clinic
    from clinic_desk.portal.app import create_app
    from clinic_desk.portal.server import server_config

    with Clinic.open(with_app_name(url, name), workstation=name, pool_size=PORTAL_POOL_SIZE) as clinic:
        app = create_app(clinic, os.urandom(32), behind_proxy=True, secure_cookies=False)
        uvicorn.Server(server_config(app, host="127.0.0.1", port=port)).run()


def start_mail_worker(url: str, name: str, log: Path) -> subprocess.Popen[bytes]:
    """`clinic-desk mail-worker` as its own process, as a clinic runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "clinic_desk", "--db", with_app_name(url, name), "mail-worker"]
    command += ["--poll", "1"]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not found:
        raise ValueError("the page has no form token")
    return found.group(1)


class PortalClient:
    """A patient's browser: signs in, looks at the account page, signs out; sometimes mistypes."""

    def __init__(self, index: int, ports: list[int], spec: dict[str, Any]) -> None:
        self.index = index
        self.ports = ports
        self.spec = spec
        self.random = random.Random(spec["seed"] * 7919 + index)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.done: dict[str, int] = defaultdict(int)
        self.errors: dict[str, int] = defaultdict(int)
        self.busy = 0
        self._cycle = 0

    def run(self) -> None:
        time.sleep(max(0.0, self.spec["start_at"] - time.time()))
        while True:
            pause = self.random.expovariate(1.0 / self.spec["portal_think_seconds"])
            if time.time() + pause >= self.spec["end_at"]:
                return
            time.sleep(pause)
            self._cycle += 1
            port = self.ports[self._cycle % len(self.ports)]
            # A new address each visit: the portal's per-address limits stay out of the way.
            headers = {
                "X-Forwarded-For": f"127.{10 + self.index}.{self._cycle // 250 % 250}.{self._cycle % 250}"
            }
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as browser:
                try:
                    if self.random.random() < self.spec["mistype_share"]:
                        self.mistype(browser)
                    else:
                        self.visit(browser)
                except httpx.HTTPError as error:
                    self.errors[f"portal: {type(error).__name__}"] += 1

    def timed(self, kind: str, browser: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
        started = time.perf_counter()
        response = browser.request(method, path, **kw)
        self.latencies[kind].append((time.perf_counter() - started) * 1000)
        if response.status_code == 503:
            self.busy += 1  # "busy, try again": Retry-After says when
        return response

    def visit(self, browser: httpx.Client) -> None:
        username = self.random.choice(self.spec["portal_users"])
        page = self.timed("portal page", browser, "GET", "/")
        if page.status_code != 200:
            self.errors[f"portal page: HTTP {page.status_code}"] += 1
            return
        data = {"csrf_token": csrf_token(page.text), "username": username, "password": self.spec["password"]}
        signed = self.timed("portal sign-in", browser, "POST", "/", data=data)
        if signed.status_code != 303 or signed.headers.get("location", "").rstrip("/") != "/account":
            self.errors[f"portal sign-in: HTTP {signed.status_code}"] += 1
            return
        self.done["portal_login"] += 1
        account = self.timed("portal account", browser, "GET", "/account")
        if account.status_code != 200:
            self.errors[f"portal account: HTTP {account.status_code}"] += 1
            return
        out = self.timed(
            "portal sign-out", browser, "POST", "/sign-out", data={"csrf_token": csrf_token(account.text)}
        )
        if out.status_code != 303:
            self.errors[f"portal sign-out: HTTP {out.status_code}"] += 1
            return
        self.done["portal_logout"] += 1

    def mistype(self, browser: httpx.Client) -> None:
        """A wrong password for one of the desks' locked-out patients (they unlock it)."""
        username = self.random.choice(self.spec["victim_users"])
        page = self.timed("portal page", browser, "GET", "/")
        if page.status_code != 200:
            self.errors[f"portal page: HTTP {page.status_code}"] += 1
            return
        data = {"csrf_token": csrf_token(page.text), "username": username, "password": WRONG_PASSWORD}
        refused = self.timed("portal wrong password", browser, "POST", "/", data=data)
        if refused.status_code != 400:
            self.errors[f"portal wrong password: HTTP {refused.status_code}"] += 1
            return
        self.done["portal_refused"] += 1

    def result(self) -> dict[str, Any]:
        return {"latencies": self.latencies, "done": self.done, "errors": self.errors, "busy": self.busy}


def run_portal_clients(count: int, ports: list[int], spec: dict[str, Any]) -> list[dict[str, Any]]:
    """``count`` browsers on threads until the end; their results."""
    clients = [PortalClient(index, ports, spec) for index in range(count)]
    threads = [threading.Thread(target=client.run, daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [client.result() for client in clients]


def wait_for_port(port: int, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

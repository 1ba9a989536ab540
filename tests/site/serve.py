"""`hodie serve` started by a test: its own data folder, a free port on 127.0.0.1, stopped after."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HODIE = str(Path(sys.executable).parent / "hodie")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(port: int, path: str, timeout: float) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@contextmanager
def serving(home: Path, workers: int = 2, **env: str) -> Iterator[int]:
    """Migrate, load the demo and serve it; yields the port once the home page answers."""
    environment = {**os.environ, "HODIE_HOME": str(home), "HODIE_ALLOWED_HOSTS": "127.0.0.1", **env}
    subprocess.run([HODIE, "demo"], env=environment, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [HODIE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--no-worker"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                if get(port, "/", timeout=10) == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("hodie serve did not answer within 30 s")
        yield port
    finally:
        # The server's own process group: granian's workers go with it even when they are stuck.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

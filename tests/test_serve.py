"""`hodie serve` as a newcomer meets it: a busy port is named in one message, and stopping the
server stops every process it started (the Redis queue's RQ worker and scheduler included)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .social.test_redis_queue import redis_answers


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_"))}
    return env | {"HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/serve.sqlite3", **extra}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET /robots.txt HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return s.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


def _processes_of(home: Path) -> list[int]:
    """Every live process started with this HODIE_HOME in its environment."""
    marker = f"HODIE_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                status = (entry / "status").read_text()
                if "\nState:\tZ" not in status:
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_busy_port_is_named_in_one_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "hodie.cli", "serve", "--port", str(port), "--no-worker"],
            env=_env(tmp_path), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in output
    assert f"--port {port + 1}" in output and "Traceback" not in output and "Serving on" not in output
    assert len(output.strip().splitlines()) <= 2, output


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc to list processes")
def test_stopping_serve_stops_the_redis_worker_and_its_scheduler(tmp_path: Path) -> None:
    if not redis_answers():
        if os.environ.get("HODIE_REQUIRE_REDIS"):
            pytest.fail("HODIE_REQUIRE_REDIS is set but Redis does not answer on 127.0.0.1:6379")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    port = _free_port()
    env = _env(tmp_path, HODIE_TASKS_BACKEND="redis", HODIE_REDIS_URL="redis://127.0.0.1:6379/14")
    server = subprocess.Popen(
        [sys.executable, "-m", "hodie.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        # Up and answering, with the server, its granian worker and the hodie worker running (RQ
        # runs its scheduler inside the worker).
        while time.monotonic() < deadline and not (_answers(port) and len(_processes_of(tmp_path)) >= 3):
            time.sleep(0.5)
        started = _processes_of(tmp_path)
        assert len(started) >= 3, f"expected the server and its workers, found {started}"
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _processes_of(tmp_path):
        time.sleep(0.5)
    left = _processes_of(tmp_path)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after the server stopped: {left}"

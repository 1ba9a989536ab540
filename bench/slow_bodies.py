"""Fifty clients sending a request body one byte a second (half to /webmention, half to
/comments/post/) against the server, while one reader asks for a day page every 0.2 s.

Usage: python bench/slow_bodies.py wsgi|asgi [SECONDS] [CLIENTS (50)]. `asgi` is `hodie serve` as shipped (bodies
read on the event loop under HODIE_REQUEST_BODY_SECONDS); `wsgi` runs granian with the arguments
`hodie serve` used before (WSGI, one blocking thread), the configuration that two slow clients took
down. Prints one JSON line: the reader's latencies, how many of its requests got no answer
within 5 s, and how long the slow connections stayed open.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comments_load import free_port, percentile, request

PAGE = "/russia/february-20/"


def start(mode: str, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    if mode == "asgi":
        hodie = str(Path(sys.executable).parent / "hodie")
        args = [hodie, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--no-worker"]
    else:
        args = [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", "2", "--blocking-threads", "1", "--no-ws", "hodie.site.wsgi:application",
        ]  # fmt: skip
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def main() -> None:
    mode = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    home = tempfile.mkdtemp(prefix="hodie-slow-")
    env = {**os.environ, "HODIE_HOME": home, "HODIE_ALLOWED_HOSTS": "127.0.0.1", "HODIE_DATABASE_URL": ""}
    hodie = str(Path(sys.executable).parent / "hodie")
    subprocess.run([hodie, "demo"], env=env, check=True, capture_output=True)
    subprocess.run([hodie, "manage", "collectstatic", "--noinput"], env=env, check=True, capture_output=True)
    port = free_port()
    server = start(mode, env, port)
    try:
        for _ in range(300):
            try:
                if request(port, "GET", PAGE)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        for _ in range(4):
            request(port, "GET", PAGE)
        opened = time.monotonic()
        slow = []
        for n in range(clients):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            path = "/webmention" if n % 2 else "/comments/post/"
            sock.sendall(
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 100000\r\n\r\n".encode()
            )
            slow.append(sock)
        closed: dict[int, float] = {}
        stop = threading.Event()

        def trickle() -> None:
            while not stop.is_set():
                for number, sock in enumerate(slow):
                    if number in closed:
                        continue
                    if select.select([sock], [], [], 0)[0]:
                        closed[number] = time.monotonic() - opened
                        continue
                    try:
                        sock.sendall(b"a")
                    except OSError:
                        closed[number] = time.monotonic() - opened
                stop.wait(1)

        dripping = threading.Thread(target=trickle, daemon=True)
        dripping.start()
        latencies: list[float] = []
        unanswered = 0
        while time.monotonic() - opened < seconds:
            started = time.perf_counter()
            try:
                import http.client

                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", PAGE)
                connection.getresponse().read()
                connection.close()
                latencies.append(time.perf_counter() - started)
            except OSError:
                unanswered += 1
            time.sleep(0.2)
        stop.set()
        dripping.join()
        for sock in slow:
            sock.close()
        print(
            json.dumps(
                {
                    "mode": mode,
                    "slow_clients": clients,
                    "seconds": seconds,
                    "reads": len(latencies) + unanswered,
                    "unanswered": unanswered,
                    "p50_ms": percentile(latencies, 50),
                    "p95_ms": percentile(latencies, 95),
                    "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
                    "slow_cut_off": len(closed),
                    "slow_open_s_max": round(max(closed.values()), 1) if closed else None,
                }
            )
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        finally:  # workers stuck in a body read outlive their parent otherwise
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()

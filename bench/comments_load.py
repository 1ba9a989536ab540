"""500 concurrent comment posts through the real form against `hodie serve` on 127.0.0.1.

Usage: python bench/comments_load.py DATABASE_URL [POSTS] [CONCURRENCY]. Prints one JSON line:
status counts, latency percentiles, comments stored, acknowledged posts, lost and duplicated ones.
The peer measured in the same run is a GET of the same page at the same concurrency (what the
server does when no write is involved). Rate limiting is off for the run (every post comes from
127.0.0.1) and moderation is `never`, so that every acknowledged post must show on the page.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 1)


def main() -> None:
    url = sys.argv[1]
    posts = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    home = tempfile.mkdtemp(prefix="hodie-load-")
    env = {
        **os.environ, "HODIE_HOME": home, "HODIE_DATABASE_URL": url, "HODIE_COMMENT_RATE_SECONDS": "0",
        "HODIE_COMMENT_MODERATION": "never", "HODIE_ALLOWED_HOSTS": "127.0.0.1",
    }  # fmt: skip
    hodie = str(Path(sys.executable).parent / "hodie")
    subprocess.run([hodie, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([hodie, "demo", "--force"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [hodie, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    path = "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
    try:
        for _ in range(100):
            try:
                if request(port, "GET", path)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        _, headers, page = request(port, "GET", path)
        html = page.decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", "")).group(1)  # type: ignore[union-attr]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        target = re.search(r'name="target" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        time.sleep(3.5)  # the form refuses posts quicker than a person types

        def read(_: int) -> tuple[int, float]:
            started = time.perf_counter()
            got = request(port, "GET", path)[0]
            return got, time.perf_counter() - started

        def post(n: int) -> tuple[int, float]:
            body = urlencode({
                "csrfmiddlewaretoken": csrf, "target": target, "token": token, "name": f"Load {n}",
                "body": f"Load test comment number {n}.",
            })  # fmt: skip
            headers = {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}",
                "Referer": f"http://127.0.0.1:{port}{path}", "Origin": f"http://127.0.0.1:{port}",
            }  # fmt: skip
            started = time.perf_counter()
            got = request(port, "POST", "/comments/post/", body, headers)[0]
            return got, time.perf_counter() - started

        results = {}
        for name, action in (("get", read), ("post", post)):
            started = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                done = list(pool.map(action, range(posts)))
            seconds = time.perf_counter() - started
            codes: dict[str, int] = {}
            for code, _ in done:
                codes[str(code)] = codes.get(str(code), 0) + 1
            latencies = [t for _, t in done]
            results[name] = {
                "statuses": codes, "seconds": round(seconds, 2), "per_second": round(posts / seconds),
                "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
                "p99_ms": percentile(latencies, 99), "mean_ms": round(statistics.mean(latencies) * 1000, 1),
            }  # fmt: skip
        page = request(port, "GET", path)[2].decode()
        shown = re.findall(r"Load test comment number (\d+)\.", page)
        acknowledged = results["post"]["statuses"].get("303", 0)
        results["stored_and_shown"] = len(shown)
        results["distinct_shown"] = len(set(shown))
        results["acknowledged"] = acknowledged
        results["lost"] = acknowledged - len(set(shown))
        results["duplicated"] = len(shown) - len(set(shown))
        results["server_5xx"] = sum(v for k, v in results["post"]["statuses"].items() if k.startswith("5"))
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=20)
    results["database_locked_in_log"] = errors.decode(errors="replace").count("database is locked")
    results["posts"], results["concurrency"] = posts, concurrency
    print(json.dumps(results))


if __name__ == "__main__":
    main()

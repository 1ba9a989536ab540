"""500 concurrent comment posts through the real form against `hodie serve` on 127.0.0.1, then
500 Webmentions to the receiver one at a time, then SECONDS (60) of 50 users reading a day page
nine times in ten and posting a comment the tenth.

Usage: python bench/comments_load.py DATABASE_URL [POSTS] [CONCURRENCY] [SECONDS]. Prints one JSON line:
status counts, latency percentiles, comments stored, acknowledged posts, lost and duplicated ones.
The peer measured in the same run is a GET of the same page at the same concurrency (what the
server does when no write is involved). Rate limiting is off for the run (every post comes from
127.0.0.1) and moderation is `never`, so that every acknowledged post must show on the page.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
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
    if not values:  # a toy run may have made no request of a kind
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 1)


def timings(done: list[tuple[int, float]]) -> dict[str, object]:
    codes: dict[str, int] = {}
    for code, _ in done:
        codes[str(code)] = codes.get(str(code), 0) + 1
    latencies = [t for _, t in done]
    return {
        "statuses": codes, "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
    }  # fmt: skip


def mentions(port: int, path: str, n: int) -> dict[str, object]:
    """``n`` valid Webmentions (each its own source) to the receiver one at a time, and as the peer
    ``n`` GETs of the target page one at a time: the receiver's own latency, with no queue in front.
    Every 202 names the stored mention in its Location; they must all differ."""
    target = f"http://127.0.0.1:{port}{path}"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    sent, read, where = [], [], []
    for i in range(n):
        body = urlencode({"source": f"https://mentions.example/post-{i}", "target": target})
        started = time.perf_counter()
        status, answer, _ = request(port, "POST", "/webmention", body, headers)
        sent.append((status, time.perf_counter() - started))
        where.append(answer.get("location", ""))
        started = time.perf_counter()
        status = request(port, "GET", path)[0]
        read.append((status, time.perf_counter() - started))
    accepted = sum(1 for status, _ in sent if status == 202)
    return {
        "mention": timings(sent), "mention_get": timings(read), "mentions_accepted": accepted,
        "mentions_stored": len({w for w in where if w}),
    }  # fmt: skip


def mixed(port: int, page: str, post: Any, seconds: float, users: int) -> dict[str, Any]:
    """``users`` readers at once for ``seconds``, each request a GET of ``page`` nine times in ten
    and a comment post (``post``) the tenth: the shape of SECURITY.md §7, figure 16."""
    deadline = time.perf_counter() + seconds

    def user(number: int) -> list[tuple[str, int, float]]:
        rng, done, n = random.Random(number), [], 0
        while time.perf_counter() < deadline:
            if rng.random() < 0.1:
                status, took = post(f"m{number}-{n}")
                done.append(("post", status, took))
                n += 1
            else:
                started = time.perf_counter()
                status = request(port, "GET", page)[0]
                done.append(("read", status, time.perf_counter() - started))
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        done = [row for rows in pool.map(user, range(users)) for row in rows]
    elapsed = time.perf_counter() - started
    reads = [(status, took) for kind, status, took in done if kind == "read"]
    posts = [(status, took) for kind, status, took in done if kind == "post"]
    return {
        "seconds": round(elapsed, 1), "users": users, "reads": timings(reads), "posts": timings(posts),
        "reads_per_second": round(len(reads) / elapsed), "requests": len(done),
        "acknowledged": sum(1 for status, _ in posts if status == 303),
        "server_5xx": sum(1 for _, status, _ in done if status >= 500),
    }  # fmt: skip


def main() -> None:
    url = sys.argv[1]
    posts = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    mixed_seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60
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
        deadline = time.monotonic() + 120  # serve collects the hashed static files before it listens
        while time.monotonic() < deadline:
            try:
                if request(port, "GET", path)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        _, _, page = request(port, "GET", path)
        html = page.decode()
        target = re.search(r'name="target" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        time.sleep(3.5)  # the form refuses posts quicker than a person types

        def read(_: int) -> tuple[int, float]:
            started = time.perf_counter()
            got = request(port, "GET", path)[0]
            return got, time.perf_counter() - started

        def post(n: int | str) -> tuple[int, float]:
            body = urlencode({
                "target": target, "token": token, "name": f"Load {n}",
                "body": f"Load test comment number {n}.",
            })  # fmt: skip
            # No CSRF token: the page is shareable; the origin headers are what a browser sends.
            headers = {
                "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin",
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
            results[name] = {
                **timings(done), "seconds": round(seconds, 2), "per_second": round(posts / seconds),
                "mean_ms": round(statistics.mean(t for _, t in done) * 1000, 1),
            }  # fmt: skip
        results.update(mentions(port, path, posts))
        results["mixed"] = mixed(port, "/russia/february-20/", post, mixed_seconds, concurrency)
        page = request(port, "GET", path)[2].decode()
        mixed_shown = re.findall(r"Load test comment number (m\d+-\d+)\.", page)
        results["mixed"]["lost"] = results["mixed"]["acknowledged"] - len(set(mixed_shown))
        results["mixed"]["duplicated"] = len(mixed_shown) - len(set(mixed_shown))
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

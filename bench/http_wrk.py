"""HTTP throughput of `hodie serve` beside nginx serving the same bytes, in one run, with wrk.

The demo is loaded into a fresh SQLite database and `hodie serve --no-worker` is started twice, as a
site runs it (granian, ASGI, the given number of workers): once as configured (the page cache on),
once with ``HODIE_PAGE_MAX_AGE=0`` (no page is kept, so every request renders). Every day page of
every collection is fetched once and written into a directory that nginx serves, so the peer
answers with the very bytes Hodie sent. Then wrk (50 connections, 2 threads) runs:

- *rotating, uncached*: the day pages in turn (a Lua script walks the list) against the server that
  keeps no page: the render path's own rate;
- *rotating, cached*: the same walk against the configured server, whose page cache holds every
  page by then (the crawler's case once a page has been read);
- *hot*: `/russia/february-20/` alone against the configured server;

each beside nginx on the same paths.

``python bench/http_wrk.py SECONDS [WORKERS]`` prints one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.comments_load import free_port, request

HOT = "/russia/february-20/"
LUA = """
local paths = {%s}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("start", counter * 97)
end
function init(args)
  i = tonumber(start) or 0
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"seconds\\": %%.3f, \\"p50_ms\\": %%.2f, \\"p99_ms\\": %%.2f, "
    .. "\\"errors\\": %%d, \\"non2xx\\": %%d}\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""
NGINX = """
worker_processes 2;
pid {home}/nginx.pid;
error_log {home}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ text/html html; }}
  default_type text/html;
  client_body_temp_path {home}/tmp; proxy_temp_path {home}/tmp; fastcgi_temp_path {home}/tmp;
  uwsgi_temp_path {home}/tmp; scgi_temp_path {home}/tmp;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{ index index.html; try_files $uri $uri/ =404; }}
  }}
}}
"""


def wait_for(port: int, path: str = "/robots.txt", seconds: float = 120) -> None:
    deadline, last = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            status = request(port, "GET", path)[0]
            if status == 200:
                return
            last = f"status {status}"
        except OSError as err:
            last = str(err)
        time.sleep(0.2)
    logs = "".join(
        p.read_text(errors="replace")[-3000:] for p in Path(tempfile.gettempdir()).glob(f"hodie-wrk-*/serve-{port}.log")
    )
    raise SystemExit(f"{path} on port {port} did not answer 200 within {seconds} s ({last})\n{logs}")


def wrk(port: int, paths: list[str], seconds: int, home: Path, name: str) -> dict:
    script = home / f"{name}.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    done = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if not found:
        raise SystemExit(f"wrk printed no result: {done.stdout}{done.stderr}")
    result = json.loads(found.group(1))
    result["per_second"] = round(result["requests"] / result["seconds"])
    return result


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    hodie = str(Path(sys.executable).parent / "hodie")
    log = open(Path(env["HODIE_HOME"]) / f"serve-{port}.log", "wb")  # the server's, open while it runs
    return subprocess.Popen(
        [hodie, "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    home = Path(tempfile.mkdtemp(prefix="hodie-wrk-"))
    home.chmod(0o755)  # nginx's workers drop to an unprivileged user when started as root
    env = {**os.environ, "HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/hodie.sqlite3"}
    hodie = str(Path(sys.executable).parent / "hodie")
    subprocess.run([hodie, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([hodie, "demo"], env=env, check=True, capture_output=True)
    port, bare_port, peer_port = free_port(), free_port(), free_port()
    # One after the other: each `hodie serve` collects the static files into the same HODIE_HOME first,
    # and two collecting at once raced (one renamed a file the other was compressing).
    servers = [serve(env, port, workers)]
    nginx = None
    try:
        wait_for(port)
        servers.append(serve({**env, "HODIE_PAGE_MAX_AGE": "0"}, bare_port, workers))
        wait_for(bare_port)
        out = subprocess.run(
            [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
             "'hodie.site.settings'); django.setup(); from hodie.almanac.days import ALL_DAYS, day_slug; "
             "from hodie.almanac.models import Collection; print('\\n'.join(f'/{c.slug}/{day_slug(m, d)}/' "
             "for c in Collection.objects.order_by('pk') for m, d in ALL_DAYS))"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        paths = out.stdout.split()
        for path in paths[:: len(paths) // 20]:  # each worker of the server that keeps nothing warmed up
            request(bare_port, "GET", path)
        root = home / "www"
        for path in paths:
            status, _headers, body = request(port, "GET", path)
            assert status == 200, (path, status)
            target = root / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        (home / "tmp").mkdir()
        conf = home / "nginx.conf"
        conf.write_text(NGINX.format(home=home, port=peer_port, root=root), encoding="utf-8")
        nginx = subprocess.Popen(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(home), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(peer_port, HOT)
        result: dict = {"seconds": seconds, "workers": workers, "pages": len(paths)}
        for name, chosen, hodie_port in (
            ("rotating", paths, bare_port), ("rotating_cached", paths, port), ("hot", [HOT], port),
        ):  # fmt: skip
            result[name] = {
                "hodie": wrk(hodie_port, chosen, seconds, home, f"{name}-hodie"),
                "nginx": wrk(peer_port, chosen, seconds, home, f"{name}-nginx"),
            }
        print(json.dumps(result))
    finally:
        for process in (*servers, nginx):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()

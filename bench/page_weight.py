"""The weight of a day page as a reader's browser fetches it from `hodie serve`: the HTML and every
stylesheet, script, image and font it references, with and without gzip (the peer, measured in
the same run, is the same requests uncompressed). Prints one JSON line."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.comments_load import free_port

PAGES = ["/russia/february-20/", "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"]


def get(port: int, path: str, compressed: bool) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip" if compressed else "identity"})
    response = connection.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    return response.status, body, headers


def main() -> None:
    home = tempfile.mkdtemp(prefix="hodie-weight-")
    env = {**os.environ, "HODIE_HOME": home, "HODIE_DATABASE_URL": f"sqlite:///{home}/hodie.sqlite3"}
    hodie = str(Path(sys.executable).parent / "hodie")
    subprocess.run([hodie, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([hodie, "demo"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [hodie, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    results = []
    try:
        for _ in range(100):
            try:
                get(port, "/robots.txt", False)
                break
            except OSError:
                time.sleep(0.1)
        for path in PAGES:
            _, html, _ = get(port, path, False)
            text = html.decode()
            assets = re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"', text)
            third_party = [a for a in assets if urlsplit(a).netloc and urlsplit(a).hostname not in ("127.0.0.1",)]
            row = {"page": path, "assets": assets, "third_party": third_party}
            for label, compressed in (("gzip", True), ("identity", False)):
                total = 0
                for url in [path, *assets]:
                    _, body, _ = get(port, urlsplit(url).path, compressed)
                    total += len(body)
                row[label] = total
            row["html_gzip"] = len(gzip.compress(html))
            results.append(row)
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(json.dumps(results))


if __name__ == "__main__":
    main()

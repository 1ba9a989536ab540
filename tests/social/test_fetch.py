"""The outbound fetch policy: SSRF refused before any connection, limits on size, time and redirects.
Traffic goes only to 127.0.0.1 (a server run by the test); other addresses are judged offline."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from hodie.net import FetchFailed, FetchRefused, Policy, check_url, fetch
from tests.social.conftest import answer

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "data" / "security" / "own" / "ssrf_url_vectors.tsv"
STRICT = Policy()
LOOPBACK = Policy(allow_loopback=True, total_timeout=2.0, max_bytes=1024 * 1024)

OWN_VECTORS = [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://[::]/", "http://10.0.0.1/",
    "http://172.16.0.1/", "http://192.168.1.1/", "http://[fd00::1]/", "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/", "http://100.64.0.1/", "http://198.18.0.1/", "http://240.0.0.1/", "http://224.0.0.1/",
    "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "file:///etc/passwd", "gopher://127.0.0.1:6379/_",
    "dict://127.0.0.1:11211/", "ftp://example.com/", "javascript:alert(1)", "http://example.com@127.0.0.1/",
    "http://user:pass@example.com/", "http://localhost/", "http://93.184.215.14:22/", "http://93.184.215.14:6379/",
]  # fmt: skip


@pytest.mark.parametrize("url", OWN_VECTORS)
def test_own_ssrf_vectors_are_refused_before_connecting(url):
    with pytest.raises(FetchRefused):
        check_url(url, STRICT)


@pytest.mark.shared
@pytest.mark.skipif(not VECTORS.is_file(), reason=f"{VECTORS} is absent: the shared SSRF vectors are not available")
def test_shared_ssrf_vectors_are_all_refused():
    rows = [line.split("\t") for line in VECTORS.read_text().splitlines() if line and not line.startswith("#")]
    urls = [row[1] for row in rows]
    refused = []
    for url in urls:
        try:
            check_url(url, STRICT)
        except FetchRefused:
            refused.append(url)
    assert len(urls) == 36 and refused == urls


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "partner.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(FetchRefused, match=r"10\.1\.2\.3, a private or reserved address"):
        fetch("http://partner.example/feed", STRICT)


def test_a_public_address_on_an_allowed_port_passes_the_check(monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))]
    )
    check_url("https://partner.example/feed", STRICT)  # no exception: nothing is fetched here


class Server:
    def __init__(self, handler_body) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                handler_body(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    started: list[Server] = []

    def start(handler_body) -> Server:
        started.append(Server(handler_body))
        return started[-1]

    yield start
    for s in started:
        s.close()


def test_loopback_is_refused_unless_allowed(server):
    s = server(lambda h: answer(h, 200, b"hello"))
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(s.base + "/", STRICT)
    assert fetch(s.base + "/", LOOPBACK).body == b"hello"


@pytest.mark.parametrize(
    "where",
    ["http://10.0.0.7/x", "http://169.254.169.254/latest/meta-data/", "http://192.168.0.1:8080/", "file:///etc/passwd"],
)
def test_a_redirect_to_a_private_address_is_refused(server, where):
    s = server(lambda h: answer(h, 302, Location=where))
    with pytest.raises(FetchRefused, match=r"refused|only http"):
        fetch(s.base + "/", LOOPBACK)  # the first hop is allowed here; where it redirects is not


def test_six_redirects_are_refused_five_are_followed(server):
    def hops(h) -> None:
        n = int(h.path.strip("/") or 0)
        if n < int(h.headers.get("X-Hops", "0")):
            answer(h, 302, Location=f"/{n + 1}")
        else:
            answer(h, 200, b"arrived")

    s = server(hops)
    assert fetch(s.base + "/0", LOOPBACK, headers={"X-Hops": "5"}).body == b"arrived"
    with pytest.raises(FetchRefused, match="more than 5 redirects"):
        fetch(s.base + "/0", LOOPBACK, headers={"X-Hops": "6"})


def test_a_body_past_the_cap_is_refused(server):
    s = server(lambda h: answer(h, 200, b"x" * (2 * 1024 * 1024)))
    with pytest.raises(FetchRefused, match="larger than 1,048,576 bytes"):
        fetch(s.base + "/", LOOPBACK)


def test_a_gzip_bomb_stops_at_the_cap(server):
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    s = server(lambda h: answer(h, 200, bomb, Content_Encoding="gzip"))
    assert len(bomb) < 100_000
    with pytest.raises(FetchRefused, match="larger than"):
        fetch(s.base + "/", LOOPBACK)


def test_a_source_that_never_finishes_is_abandoned_in_time(server):
    def trickle(h) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    s = server(trickle)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="took longer than 2 s"):
        fetch(s.base + "/", LOOPBACK)
    assert time.monotonic() - started < 4


def test_a_closed_port_fails_in_transit_and_is_worth_retrying():
    """ "Connection refused" is the network's answer, not the policy's: FetchFailed, transient."""
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchFailed) as caught:
        fetch(f"http://127.0.0.1:{port}/", LOOPBACK)
    assert caught.value.transient and not isinstance(caught.value, FetchRefused)


@pytest.mark.parametrize("url", ["http:///no-host", "http://[::1", "ftp://example.com/"], ids=["no host", "bad", "ftp"])
def test_a_url_the_policy_refuses_is_permanent(url):
    """A URL with no host (or no valid form) is refused for good, before any connection."""
    with pytest.raises(FetchRefused) as caught:
        fetch(url, LOOPBACK)
    assert not caught.value.transient and not isinstance(caught.value, FetchFailed)


@pytest.mark.django_db
def test_a_loopback_webmention_endpoint_is_never_posted_to(server, settings):
    """Discovery finds an endpoint on the loopback; with the default policy it is refused."""
    from hodie.almanac.models import Article
    from hodie.social.models import Sent
    from hodie.social.webmention import send

    posted = []
    s = server(lambda h: (posted.append(h.path), answer(h, 200, b"<link rel=webmention href=/wm>")))
    settings.HODIE_FETCH_ALLOW_LOOPBACK = False
    article = Article.objects.create(title="A", slug="a", body="x", status="published")
    sent = Sent.objects.create(article=article, source="http://127.0.0.1:8000/articles/a/", target=s.base + "/page")
    assert send(sent) is True  # refused for good, not retried
    sent.refresh_from_db()
    assert sent.status == "failed" and "loopback" in sent.detail and posted == []


def test_outbound_fetch_does_not_import_django():
    """The purity test, extended to hodie.net: it takes its settings as a Policy, never from Django."""
    import subprocess
    import sys

    code = "import hodie.net, sys; assert 'django' not in sys.modules, 'django imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

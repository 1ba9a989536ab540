"""Hodie behind a real reverse proxy: Debian's nginx, started by the test with the configuration
docs/deploy.md gives (its paths and ports replaced), in front of `hodie serve`.

It shows that repeated reads are answered by nginx (X-Cache-Status: HIT, and no request reaching
Hodie: nginx's log records the upstream of each request), that a comment approved in the admin is
visible through the proxy within the bound the docs state, that two clients never receive each
other's cookies, and in chromium that the comment form works on a page nginx served."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
MAX_AGE, STALE = 3, 2  # HODIE_PAGE_MAX_AGE and HODIE_PAGE_STALE_SECONDS for the server under test
ARTICLE = "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
DAY = "/russia/february-20/"
PASSWORD = "a long editor password 1812"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/robots.txt", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")


def documented_config() -> str:
    """The nginx block of docs/deploy.md, as it is written there."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    match = re.search(r"<!-- nginx-config -->\n```nginx\n(.*?)```\n<!-- /nginx-config -->", text, re.S)
    assert match, "docs/deploy.md has no marked nginx configuration"
    return match.group(1)


class Stack:
    def __init__(self, base: str, backend: str, access_log: Path) -> None:
        self.base, self.backend, self.access_log = base, backend, access_log

    def upstream_requests(self, path: str) -> int:
        """How many requests for ``path`` nginx passed to Hodie (its log names the upstream, or "-")."""
        count = 0
        for line in self.access_log.read_text().splitlines():
            upstream, _, request_path = line.partition(" ")
            if request_path == path and upstream != "-":
                count += 1
        return count


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(NGINX).exists():
        if os.environ.get("HODIE_REQUIRE_NGINX"):
            pytest.fail("HODIE_REQUIRE_NGINX is set but Debian's nginx is not installed")
        pytest.skip("Debian's nginx is not installed (apt-get install nginx-light)")
    home = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_"))}
    env |= {
        "HODIE_HOME": str(home), "HODIE_DATABASE_URL": f"sqlite:///{home}/hodie.sqlite3",
        "HODIE_PAGE_MAX_AGE": str(MAX_AGE), "HODIE_PAGE_STALE_SECONDS": str(STALE),
        "HODIE_COMMENT_MODERATION": "always", "HODIE_TASKS_BACKEND": "immediate", "HODIE_COMMENT_RATE_SECONDS": "0",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }  # fmt: skip
    hodie = [sys.executable, "-m", "hodie.cli"]
    for args in (["migrate"], ["demo"], ["manage", "createsuperuser", "--noinput", "--username", "editor",
                                         "--email", "editor@example.org"]):  # fmt: skip
        subprocess.run([*hodie, *args], env=env, check=True, capture_output=True)
    backend_port, proxy_port = _free_port(), _free_port()
    env["HODIE_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["HODIE_SITE_URL"] = f"http://127.0.0.1:{proxy_port}"
    server = subprocess.Popen(
        [*hodie, "serve", "--port", str(backend_port), "--workers", "1", "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    prefix = home / "nginx"
    (prefix / "logs").mkdir(parents=True)
    access_log = prefix / "logs" / "access.log"
    site = (
        documented_config()
        .replace("/var/cache/nginx/hodie", str(prefix / "cache"))
        .replace("listen 80;", f"listen 127.0.0.1:{proxy_port};")
        .replace("http://127.0.0.1:8000", f"http://127.0.0.1:{backend_port}")
    )
    assert str(backend_port) in site and str(proxy_port) in site, "the documented block changed shape"
    user = "user root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\n"
        "events { worker_connections 256; }\nhttp {\n"
        f"  log_format upstream '$upstream_addr $uri';\n  access_log {access_log} upstream;\n"
        f"  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;\n"
        f"{site}\n}}\n"
    )
    proxy = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        _wait_for(backend_port)
        _wait_for(proxy_port, 30)
        yield Stack(f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{backend_port}", access_log)
    finally:
        proxy.send_signal(signal.SIGQUIT)
        server.send_signal(signal.SIGINT)
        for process in (proxy, server):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(prefix / "cache", ignore_errors=True)


def test_repeated_reads_are_served_by_nginx(stack):
    reader = requests.Session()
    first = reader.get(stack.base + DAY)
    assert first.status_code == 200 and first.headers["X-Cache-Status"] in ("MISS", "EXPIRED")
    reached = stack.upstream_requests(DAY)
    statuses = [reader.get(stack.base + DAY).headers["X-Cache-Status"] for _ in range(10)]
    assert statuses.count("HIT") >= 8, statuses  # (the page may expire once in the meantime)
    assert stack.upstream_requests(DAY) - reached <= 2, "nginx passed the repeated reads to Hodie"
    # An expired page is revalidated with the ETag: Hodie answers 304, nginx keeps its copy.
    etag = first.headers["ETag"]
    assert requests.get(stack.backend + DAY, headers={"If-None-Match": etag}).status_code == 304
    # Hashed static files, immutable.
    css = re.search(r'href="(/static/hodie/site\.[0-9a-f]{12}\.css)"', first.text)
    assert css, "the stylesheet has no hashed name"
    style = reader.get(stack.base + css.group(1))
    assert style.status_code == 200 and "immutable" in style.headers["Cache-Control"]


def _login(base: str) -> requests.Session:
    editor = requests.Session()
    form = editor.get(f"{base}/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = editor.post(
        f"{base}/admin/login/?next=/admin/",
        {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/admin/"},
        headers={"Referer": f"{base}/admin/login/"},
    )
    assert done.status_code == 200 and "sessionid" in editor.cookies, "the editor could not log in"
    return editor


def _post_comment(session: requests.Session, base: str, url: str, name: str) -> None:
    page = session.get(base + url).text
    fields = dict(re.findall(r'<input type="hidden" name="(target|token)" value="([^"]*)"', page))
    time.sleep(3.5)  # the form refuses a post faster than a person types
    posted = session.post(
        f"{base}/comments/post/",
        {**fields, "name": name, "body": f"{name} read this through the proxy."},
        headers={"Origin": base, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
    )
    assert posted.status_code == 303 and "comment=held" in posted.headers["Location"], posted.text[:300]


def _approve(editor: requests.Session, base: str, name: str) -> None:
    """Approve the comment signed ``name`` with the admin's "approve" action, as an editor would."""
    listing = editor.get(f"{base}/admin/social/comment/?status__exact=pending").text
    row = next(row for row in listing.split("<tr")[1:] if name in row)
    pk = re.search(r'name="_selected_action" value="(\d+)"', row).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listing).group(1)
    done = editor.post(
        f"{base}/admin/social/comment/",
        {"action": "approve", "_selected_action": [pk], "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/admin/social/comment/"},
    )
    assert done.status_code == 200 and "approved" in done.text.lower()


def test_an_approved_comment_shows_through_the_proxy_within_the_documented_bound(stack):
    reader = requests.Session()
    assert "Zinaida" not in reader.get(stack.base + ARTICLE).text
    assert reader.get(stack.base + ARTICLE).headers["X-Cache-Status"] == "HIT"
    _post_comment(requests.Session(), stack.base, ARTICLE, "Zinaida")
    editor = _login(stack.base)
    _approve(editor, stack.base, "Zinaida")
    approved = time.monotonic()
    assert "Zinaida" in editor.get(stack.base + ARTICLE).text, "the editor sees it at once (never cached)"
    bound = MAX_AGE + STALE  # docs/deploy.md: HODIE_PAGE_MAX_AGE + HODIE_PAGE_STALE_SECONDS
    while "Zinaida" not in reader.get(stack.base + ARTICLE).text:
        assert time.monotonic() - approved <= bound + 2, "still the old page past the documented bound"
        time.sleep(0.25)


def test_two_clients_never_see_each_others_cookies(stack):
    editor = _login(stack.base)
    chooser, stranger = requests.Session(), requests.Session()
    chosen = chooser.post(
        f"{stack.base}/about/dates/order/", {"order": "os", "next": DAY}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert chosen.status_code == 200 and chooser.cookies.get("hodie_dates") == "os"
    secrets = {editor.cookies["sessionid"], editor.cookies["csrftoken"]}
    for url in (DAY, ARTICLE, "/", "/russia/"):
        for _ in range(2):
            editor.get(stack.base + url)
            chooser.get(stack.base + url)
            seen = stranger.get(stack.base + url)
            assert "Set-Cookie" not in seen.headers, (url, seen.headers.get("Set-Cookie"))
            assert not any(secret in seen.text for secret in secrets)
    assert not stranger.cookies, "the anonymous reader was given a cookie"
    assert set(chooser.cookies.keys()) == {"hodie_dates"}
    # The chooser's Old Style page and the stranger's page are stored apart.
    assert stranger.get(stack.base + DAY).text != chooser.get(stack.base + DAY).text


@pytest.mark.browser
def test_the_comment_form_works_on_a_page_nginx_served(stack, browser):
    english = {"Accept-Language": "en-US,en;q=0.9"}
    requests.get(stack.base + ARTICLE, headers=english)  # another reader read it just now: nginx keeps it
    first = browser.new_context(locale="en-US")
    page = first.new_page()
    response = page.goto(stack.base + ARTICLE)
    # The body came from nginx's store: fresh (HIT), or past max-age while nginx refreshes it in the
    # background (STALE, UPDATING) or after Hodie answered its revalidation with a 304 (REVALIDATED).
    status = response.headers["x-cache-status"]
    assert status in ("HIT", "STALE", "UPDATING", "REVALIDATED"), f"not from nginx's cache: {status}"
    page.click("#leave-comment summary")
    page.fill("#c-name", "Chromium Reader")
    page.fill("#c-body", "Posted from a page a shared cache served.")
    time.sleep(3.5)  # the form refuses a post faster than a person types
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(r"comment=held"))
    assert "your comment awaits a moderator" in page.content()
    first_cookies = {c["name"]: c["value"] for c in first.cookies()}
    assert "csrftoken" not in first_cookies and "sessionid" not in first_cookies

    second = browser.new_context()
    other = second.new_page()
    seen: list[dict[str, str]] = []
    other.on("response", lambda r: seen.append(r.headers))
    other.goto(stack.base + ARTICLE)
    assert not second.cookies(), "the second reader was given a cookie"
    assert not any("set-cookie" in headers for headers in seen)
    assert all(value not in other.content() for value in first_cookies.values())
    first.close()
    second.close()

import os
import shutil
from pathlib import Path

import pytest

from tests.demo_rows import DemoRows


@pytest.fixture(autouse=True)
def public_address(settings):
    """Most tests check links against a configured public address, as a production site has one;
    the default (no HODIE_SITE_URL: each request's own address) has tests of its own that set it empty."""
    settings.SITE_URL = "http://127.0.0.1:8000"


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, on PostgreSQL, each worker's `hodie` subprocesses get a database of their
    own (``<name>_gw0``...), as the in-process tests get pytest-django's ``test_<name>_gw0``: two
    workers' servers and migrations in one database would meet each other's rows and locks. Set
    here, before the test modules are imported, since some read the address when imported."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("HODIE_DATABASE_URL", "")
    if not worker or not url.startswith("postgres") or url.endswith(f"_{worker}"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_{worker}"]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}_{worker}"')
    os.environ["HODIE_DATABASE_URL"] = f"{base}/{name}_{worker}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The corpora's browser runs first: each takes a quarter of an hour or more, the longest tests
    of `make test-all`. Started first, each holds one pytest-xdist worker while the others share
    the rest; started last, the whole run waits for them. Then the files with the most tests, as
    pytest-xdist would order them itself (the Makefile turns its reordering off so that this order
    holds: ``loadfile`` then hands out files in the order of their first test)."""
    from collections import Counter

    def long(item: pytest.Item) -> bool:
        return item.get_closest_marker("shared") is not None and "browser" in getattr(item, "fixturenames", ())

    per_file = Counter(item.path for item in items)
    items.sort(key=lambda item: (not long(item), -per_file[item.path]))


@pytest.fixture(scope="session", autouse=True)
def worker_folders(tmp_path_factory):
    """Under pytest-xdist (`make test` runs two workers) each worker collects static files and keeps
    its page cache in folders of its own: two collectstatic runs writing one manifest, or one
    worker clearing the page cache in the middle of another's test, would make tests fail at random."""
    from django.conf import settings
    from django.test import override_settings

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield
        return
    home = tmp_path_factory.mktemp("home")
    pages = {**settings.CACHES["pages"]}
    if pages["BACKEND"].endswith("FileBasedCache"):
        pages["LOCATION"] = str(home / "cache")
    with override_settings(STATIC_ROOT=home / "static", CACHES={**settings.CACHES, "pages": pages}):
        yield


@pytest.fixture(scope="session", autouse=True)
def collected_static(worker_folders):
    """The hashed static files (manifest storage), as `hodie serve` collects them on start."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no stored page: a page cached by one test must not answer in another
    whose database holds other rows (the cache outlives each test's rollback)."""
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()


_demo_rows = DemoRows()


@pytest.fixture
def demo(db):
    """The demo content, loaded through the real importer; on SQLite, after a worker's first import,
    its rows copied in (tests/demo_rows.py says when and why)."""
    from django.db import connection

    from hodie.almanac.models import Collection
    from hodie.demo import load_demo

    if connection.vendor == "sqlite":
        _demo_rows.load(connection, load_demo)
    else:
        load_demo()

    return Collection.objects.get(slug="russia")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser(monkeypatch):
    if not Path(CHROMIUM).exists():
        if os.environ.get("HODIE_REQUIRE_BROWSER"):
            pytest.fail("HODIE_REQUIRE_BROWSER is set but Debian's chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, so Django refuses ORM calls made
    # here (fixtures, admin users) while it is open. The flag lifts that for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def shoot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def site(transactional_db, live_server, settings):
    """The demo behind Django's live server. That server hands /static/ to Django's finders, which
    know the files by their plain names only, so its pages name them plainly (``hodie serve`` sends
    the hashed names through whitenoise; tests/test_behind_nginx.py covers that path)."""
    from hodie.demo import load_demo

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    load_demo()
    return live_server.url

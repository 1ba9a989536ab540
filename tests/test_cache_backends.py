"""Where the page cache lives: by default files in HODIE_HOME, which separate processes (granian's
workers) share with nothing installed; Redis when HODIE_CACHE_URL names it; a clear error otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .social.test_redis_queue import redis_answers

REDIS = "redis://127.0.0.1:6379/10"  # the database number this project's tests may use


def _python(home: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_", "DJANGO_"))}
    clean |= {"HODIE_HOME": str(home), "DJANGO_SETTINGS_MODULE": "hodie.site.settings", **env}
    prelude = "import django; django.setup(); from django.core.cache import caches; from django.conf import settings\n"
    return subprocess.run([sys.executable, "-c", prelude + code], env=clean, capture_output=True, text=True)


def test_the_default_cache_is_files_shared_between_processes(tmp_path: Path) -> None:
    shown = _python(tmp_path, "print(settings.CACHES['pages']['BACKEND'], settings.CACHES['pages']['LOCATION'])")
    assert shown.stdout.split() == ["django.core.cache.backends.filebased.FileBasedCache", str(tmp_path / "cache")]
    wrote = _python(tmp_path, "caches['pages'].set('shared-check', 'from process one', 60)")
    assert wrote.returncode == 0, wrote.stderr
    read = _python(tmp_path, "print(caches['pages'].get('shared-check'))")
    assert read.stdout.strip() == "from process one"


def test_a_cache_url_that_names_nothing_known_is_refused(tmp_path: Path) -> None:
    failed = _python(tmp_path, "", HODIE_CACHE_URL="memcached://127.0.0.1:11211")
    assert failed.returncode != 0 and "HODIE_CACHE_URL='memcached://127.0.0.1:11211'" in failed.stderr


def test_redis_is_used_when_named(tmp_path: Path) -> None:
    shown = _python(tmp_path, "print(settings.CACHES['pages']['BACKEND'])", HODIE_CACHE_URL=REDIS)
    assert shown.stdout.strip() == "django.core.cache.backends.redis.RedisCache", shown.stderr


def test_pages_are_stored_in_redis_and_dropped_by_an_edit(client, demo, settings) -> None:
    if not redis_answers():
        if os.environ.get("HODIE_REQUIRE_REDIS"):
            pytest.fail("HODIE_REQUIRE_REDIS is set but Redis does not answer on 127.0.0.1:6379")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    import redis

    from hodie.almanac.models import Entry

    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                     "LOCATION": REDIS, "KEY_PREFIX": "hodie-test"}}  # fmt: skip
    server = redis.Redis.from_url(REDIS)
    for key in server.scan_iter("hodie-test:*"):
        server.delete(key)
    try:
        assert client.get("/russia/february-20/")["X-Hodie-Cache"] == "miss"
        assert client.get("/russia/february-20/")["X-Hodie-Cache"] == "hit"
        assert any(b"hodie:page:" in key for key in server.scan_iter("hodie-test:*"))
        entry = Entry.objects.get(source_id="demo-ru-kosenko")
        entry.title = "Kosenko, from Redis"
        entry.save()
        again = client.get("/russia/february-20/")
        assert again["X-Hodie-Cache"] == "miss" and "Kosenko, from Redis" in again.content.decode()
    finally:
        for key in server.scan_iter("hodie-test:*"):
            server.delete(key)

"""One process of the SQLite concurrency test (tests/social/test_concurrency.py), through Django's
whole request stack. Usage, with HODIE_DATABASE_URL and HODIE_HOME set:

    python -m tests.social.concurrent_worker write N SLUG WRITER   (N comment posts on the article)
    python -m tests.social.concurrent_worker mention N SLUG WRITER (N Webmentions of the article)
    python -m tests.social.concurrent_worker read STOPFILE SLUG    (page reads until STOPFILE exists)

Prints one JSON line: the statuses seen and every "database is locked" met."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from django.db import OperationalError
    from django.test import Client

    from hodie.almanac.models import Article
    from hodie.social.comments import Target, make_token

    role, slug = sys.argv[1], sys.argv[3]
    client = Client()
    article = Article.objects.get(slug=slug)
    statuses: dict[str, int] = {}
    locked: list[str] = []

    def count(status: int) -> None:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    if role == "write":
        target = Target(article=article)
        token = make_token(target, time.time() - 10)
        writer = sys.argv[4]
        for n in range(int(sys.argv[2])):
            data = {"target": target.key, "token": token, "name": f"W{writer}", "body": f"Writer {writer} post {n}."}
            try:
                count(client.post("/comments/post/", data, REMOTE_ADDR=f"10.8.{writer}.{n % 250}").status_code)
            except OperationalError as err:
                locked.append(str(err))
    elif role == "mention":
        writer, target = sys.argv[4], f"http://testserver{article.get_absolute_url()}"
        for n in range(int(sys.argv[2])):
            data = {"source": f"https://mentions.example/{writer}/{n}", "target": target}
            try:
                count(client.post("/webmention", data).status_code)
            except OperationalError as err:
                locked.append(str(err))
    else:
        stop = Path(sys.argv[2])
        while not stop.exists():
            try:
                count(client.get(article.get_absolute_url()).status_code)
            except OperationalError as err:
                locked.append(str(err))
    print(json.dumps({"statuses": statuses, "locked": [e for e in locked if "locked" in e], "errors": locked}))


if __name__ == "__main__":
    main()

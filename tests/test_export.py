"""`hodie export jsonl` writes everything: comments on an article, an entry and a day page, a
Webmention reply with its mention, redirects, media and allowed image hosts; export → import into
an empty database → export gives the same bytes. Every command's exit status is checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from hodie.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, f"hodie {' '.join(args)} exited {result.exit_code}: {result.output}"
    return result.output


def add_site_extras(collection) -> None:
    """One of each thing the export must not lose, made as the site makes them."""
    from django.contrib.redirects.models import Redirect
    from django.contrib.sites.models import Site

    from hodie.almanac.models import Article, Entry
    from hodie.media.models import ImageHost, MediaFile
    from hodie.social.models import Comment, Mention

    when = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
    article = Article.objects.get(title="1939: Georgy Kosenko, NKVD spy")
    entry = Entry.objects.order_by("pk").first()
    Comment.objects.create(article=article, author_name="Reader A", body="On the article.", status="approved",
                           created=when)  # fmt: skip
    on_entry = Comment.objects.create(entry=entry, author_name="Reader B", body="On the entry.", status="approved",
                                      created=when)  # fmt: skip
    Comment.objects.create(entry=entry, parent=on_entry, author_name="Reader C", body="A reply.", created=when)
    Comment.objects.create(collection=collection, day_key=220, author_name="Reader D", body="On the day page.",
                           status="approved", created=when)  # fmt: skip
    reply = Comment.objects.create(
        article=article, author_name="Other blog", author_url="https://other.example/", markup="html",
        body="<p>Replied on my blog.</p>", comment_type="reply", source_url="https://other.example/reply",
        status="approved", created=when,
    )  # fmt: skip
    target = "http://127.0.0.1:8000" + article.get_absolute_url()
    Mention.objects.create(source="https://other.example/reply", target=target, status="verified",
                           detail="reply by Other blog", comment=reply, received=when, verified_at=when)  # fmt: skip
    site = Site.objects.get_current()
    # The import kept the post's old addresses already (moving in); these make sure of two shapes.
    for old in ("/2012/02/20/1939-georgy-kosenko/", "/?p=101"):
        Redirect.objects.update_or_create(site=site, old_path=old, defaults={"new_path": article.get_absolute_url()})
    MediaFile.objects.create(source_url="https://executions.example/k.jpg", file="imports/ab/abc.jpg",
                             content_type="image/jpeg", size=1234, sha256="ab" * 32, status="stored",
                             fetched_at=when)  # fmt: skip
    MediaFile.objects.create(source_url="https://gone.example/x.png", status="failed", reason="HTTP 404",
                             fetched_at=when)  # fmt: skip
    ImageHost.objects.create(host="gone.example", note="https://gone.example/x.png: HTTP 404")


def empty_database() -> None:
    from django.contrib.redirects.models import Redirect

    from hodie.almanac import models
    from hodie.media.models import ImageHost, MediaFile
    from hodie.social import models as social

    # flush cannot TRUNCATE inside the test's transaction on PostgreSQL
    for model in (social.Mention, social.Comment, models.Article, models.HolidayRule, models.Entry, models.Person,
                  models.Place, models.Tag, social.Author, social.Partner, models.Collection, Redirect, MediaFile,
                  ImageHost):  # fmt: skip
        model.objects.all().delete()


def test_everything_survives_the_round_trip(demo, tmp_path):
    from django.contrib.redirects.models import Redirect

    from hodie.social.models import Comment, Mention

    invoke("import", "wxr", str(FIXTURES / "blog.wxr"), "--collection", "russia", "--json")
    add_site_extras(demo)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    summary = json.loads(invoke("export", "jsonl", "-o", str(first), "--json"))
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    assert summary["lines"] == len(lines) and summary["file"] == str(first)
    comments = [line for line in lines if line["type"] == "comment"]
    assert {key for line in comments for key in ("article", "entry", "day") if key in line} == {
        "article", "entry", "day",
    }  # fmt: skip
    assert [line["day"] for line in comments if "day" in line] == ["russia/02-20"]
    (reply,) = [line for line in comments if line.get("comment_type") == "reply"]
    assert reply["source_url"] == "https://other.example/reply" and reply["mention_status"] == "verified"
    redirects = sorted(line["old_path"] for line in lines if line["type"] == "redirect")
    assert {"/2012/02/20/1939-georgy-kosenko/", "/?p=101"} <= set(redirects)
    assert len(redirects) == Redirect.objects.count() > 2  # the import's old links (moving in) and these two
    assert [line["status"] for line in lines if line["type"] == "media"] == ["queued", "stored", "failed"]
    assert [line["host"] for line in lines if line["type"] == "image_host"] == ["gone.example"]

    comments_before = Comment.objects.count()
    assert comments_before >= 8  # the WXR's three and the five added here, at least
    empty_database()
    assert Comment.objects.count() == 0
    imported = json.loads(invoke("import", "jsonl", str(first), "--json"))
    assert imported["created"]["comment"] == comments_before and imported["created"]["redirect"] == len(redirects)
    assert imported["created"]["media"] == 3 and imported["created"]["image_host"] == 1
    invoke("export", "jsonl", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert Comment.objects.get(day_key=220).collection.slug == "russia"
    assert Mention.objects.get().comment.comment_type == "reply"


def test_export_summary_is_human_and_json(demo, tmp_path):
    out = tmp_path / "demo.jsonl"
    text = invoke("export", "jsonl", "-o", str(out))
    assert text.startswith(f"Exported {len(out.read_text().splitlines())} lines to {out}: ")
    assert " entry" in text and " collection" in text
    result = CliRunner().invoke(main, ["export", "jsonl"])  # to standard output: the lines alone
    assert result.exit_code == 0
    assert all(json.loads(line)["type"] for line in result.stdout.splitlines())


def test_a_comment_with_two_targets_is_refused(demo, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"type": "comment", "id": "c1", "article": "a", "day": "russia/02-20", "body": "x"}) + "\n"
    )
    result = CliRunner().invoke(main, ["import", "jsonl", str(bad), "--json"])
    assert result.exit_code == 1
    (error,) = json.loads(result.output)["errors"]
    assert error["where"] == f"{bad}:1" and "exactly one of article, entry or day" in error["reason"]

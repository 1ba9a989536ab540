"""Images of imported posts copied into HODIE_MEDIA_ROOT from a local image server (an
http.server this test starts on 127.0.0.1; the fetch policy refuses loopback addresses unless
HODIE_FETCH_ALLOW_LOOPBACK is set, so the test sets it), the failures reported with their
reasons and allowed in the Content-Security-Policy, and WXR attachments imported as media."""

from __future__ import annotations

import functools
import json
import os
import struct
import threading
import zlib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie.cli import main


def png(width: int, height: int) -> bytes:
    """A valid PNG of one grey colour, built by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def image_server(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    (root / "kosenko.png").write_bytes(png(40, 30))
    (root / "attachment.png").write_bytes(png(10, 10))
    (root / "huge.png").write_bytes(png(400, 400) + os.urandom(30_000))  # past the 20,000-byte cap
    (root / "page.png").write_text("<html>not an image</html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def wxr(base: str) -> str:
    content = (
        f'A post with images.\n\n<img src="{base}/kosenko.png" alt="Kosenko" />\n\n'
        f'<img src="{base}/missing.png" alt="Gone" />\n\n<img src="{base}/huge.png" alt="Huge" />\n\n'
        f'<img src="{base}/page.png" alt="Page" />'
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Images</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://images.example</wp:base_site_url>
<item><title>A post with images</title><link>https://images.example/?p=1</link>
<guid isPermaLink="false">https://images.example/?p=1</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2012-02-20 10:00:00</wp:post_date>
<wp:post_date_gmt>2012-02-20 10:00:00</wp:post_date_gmt><wp:post_name>images</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>An attachment</title><guid isPermaLink="false">{base}/attachment.png</guid>
<wp:post_id>2</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>{base}/attachment.png</wp:attachment_url></item>
</channel></rss>"""


@pytest.fixture
def media_settings(settings, tmp_path):
    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HODIE_MEDIA_MAX_BYTES = 20_000
    return settings


def run(*args: str) -> dict:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_images_are_copied_and_failures_reported(db, client, image_server, media_settings, tmp_path):
    from hodie.almanac.models import Article, Collection
    from hodie.media.models import ImageHost, MediaFile

    base, served = image_server
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr(base))
    summary = run("import", "wxr", str(source), "--collection", "ru", "--json", "--images")
    assert summary["created"]["media"] == 1  # the attachment
    media = summary["media"]
    assert media["images_stored"] == 2 and media["articles_rewritten"] == 1
    reasons = {Path(f["url"]).name: f["reason"] for f in media["images_failed"]}
    assert set(reasons) == {"missing.png", "huge.png", "page.png"}
    assert "HTTP 404" in reasons["missing.png"]
    assert "larger than 20,000 bytes" in reasons["huge.png"]
    # the server calls it image/png by its name: the bytes decide, not the header
    assert "not an image" in reasons["page.png"] and "said image/png" in reasons["page.png"]

    stored = MediaFile.objects.get(source_url=f"{base}/kosenko.png")
    assert stored.status == "stored" and stored.content_type == "image/png"
    assert (Path(media_settings.MEDIA_ROOT) / stored.file).read_bytes() == (served / "kosenko.png").read_bytes()
    attachment = MediaFile.objects.get(source_url=f"{base}/attachment.png")
    assert attachment.status == "stored" and attachment.title == "An attachment"

    body = Article.objects.get(title="A post with images").body
    assert f'src="/media/{stored.file}"' in body and f"{base}/kosenko.png" not in body
    assert f'src="{base}/missing.png"' in body  # a failed image keeps its remote address
    host = base.removeprefix("http://")
    assert ImageHost.objects.get(host=host).allowed

    answer = client.get(f"/media/{stored.file}")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert b"".join(answer.streaming_content) == (served / "kosenko.png").read_bytes()
    assert "immutable" in answer["Cache-Control"]


def test_media_view_refuses_what_it_did_not_store(db, client, media_settings):
    root = Path(media_settings.MEDIA_ROOT)
    (root / "imports").mkdir(parents=True)
    (root / "imports" / "note.html").write_text("<script>alert(1)</script>")
    assert client.get("/media/imports/note.html").status_code == 404  # not an image
    assert client.get("/media/../secret_key").status_code == 404
    assert client.get("/media/%2e%2e/secret_key").status_code == 404


def test_allowed_hosts_are_in_the_csp_and_others_become_links(db, client, settings):
    """A failed image's host is allowed in img-src; when an editor unticks it, its images are shown
    as links (never blocked without a trace)."""
    from hodie.almanac.models import Article
    from hodie.media.models import ImageHost

    ImageHost.objects.create(host="1.bp.blogspot.com")
    ImageHost.objects.create(host="img.example:8080", allowed=False)
    article = Article.objects.create(
        title="Two images", slug="two-images", markup="html", status="published",
        body='<p><img src="https://1.bp.blogspot.com/a.jpg" alt="Allowed"></p>'
             '<p><img src="http://img.example:8080/b.jpg" alt="Refused"></p>',
    )  # fmt: skip
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    assert "img-src 'self' data: https://1.bp.blogspot.com http://1.bp.blogspot.com;" in csp
    assert "img.example" not in csp
    html = page.content.decode()
    assert '<img src="https://1.bp.blogspot.com/a.jpg" alt="Allowed">' in html
    assert 'b.jpg" alt' not in html and '<a href="http://img.example:8080/b.jpg" rel="noopener">Refused</a>' in html


def test_the_job_fetches_again_what_failed(db, image_server, media_settings):
    """A failed image is fetched again by the job once its server has it, and the post rewritten."""
    from hodie.almanac.models import Article
    from hodie.media.jobs import copy_images
    from hodie.media.localise import localise
    from hodie.media.models import MediaFile

    base, served = image_server
    article = Article.objects.create(title="Later", slug="later", markup="html", status="published",
                                     body=f'<p><img src="{base}/later.png" alt="Later"></p>')  # fmt: skip
    first = localise()
    assert first.stored == 0 and "HTTP 404" in first.failed[0]["reason"]
    (served / "later.png").write_bytes(png(5, 5))
    assert localise().failed, "a failed image is not fetched again without being asked"
    failed = MediaFile.objects.get(source_url=f"{base}/later.png")
    copy_images.call(retry_ids=[failed.pk])
    failed.refresh_from_db()
    assert failed.status == "stored"
    article.refresh_from_db()
    assert f'src="/media/{failed.file}"' in article.body


def test_the_static_build_carries_the_media(db, media_settings, tmp_path):
    """`hodie build` copies each stored file to the /media/ address the pages name."""
    from hodie.importers import jsonl
    from hodie.media.models import MediaFile
    from hodie.publish import build
    from hodie.writer import import_records
    from tests.test_publish import TOY  # a small site that builds

    source = tmp_path / "site.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in TOY))
    import_records(jsonl.read(source), None)
    image = png(3, 3)
    name = "imports/aa/aaaa.png"
    (Path(media_settings.MEDIA_ROOT) / name).parent.mkdir(parents=True)
    (Path(media_settings.MEDIA_ROOT) / name).write_bytes(image)
    MediaFile.objects.create(source_url="https://x.example/a.png", file=name, status="stored")
    MediaFile.objects.create(source_url="https://x.example/b.png", status="failed", reason="HTTP 404")
    out = tmp_path / "site"
    build(out)
    assert (out / "media" / name).read_bytes() == image
    assert sorted(p.name for p in (out / "media").rglob("*") if p.is_file()) == ["aaaa.png"]


def attachment_items(base: str, attached) -> str:
    """WXR items of post 1's attachments: (post id and menu order, file name at ``base``, caption)."""
    return "".join(
        f"""<item><title>{name}</title><guid isPermaLink="false">{base}/{name}</guid>
<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded><wp:post_id>{number}</wp:post_id>
<wp:post_parent>1</wp:post_parent><wp:menu_order>{number}</wp:menu_order>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>{base}/{name}</wp:attachment_url></item>"""
        for number, name, caption in attached
    )


def srcset_wxr(base: str, second: str) -> str:
    """One post: an image whose srcset the server has in full, one whose 2x copy is ``second``,
    and a [gallery] of the post's two attached images (one with a caption)."""
    content = (
        f'<img src="{base}/kosenko.png" srcset="{base}/kosenko.png 40w, {base}/kosenko-80.png 80w" '
        f'sizes="(max-width: 600px) 40px, 80px" alt="Whole" />\n\n'
        f'<img src="{base}/attachment.png" srcset="{base}/attachment.png 1x, {base}/{second} 2x" '
        f'sizes="10px" alt="Half" />\n\n[gallery]'
    )
    attachments = attachment_items(base, ((2, "gallery-a.png", "Winter"), (3, "gallery-b.png", "")))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Srcset</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://images.example</wp:base_site_url>
<item><title>Sizes</title><link>https://images.example/?p=1</link>
<guid isPermaLink="false">https://images.example/?p=1</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2012-02-20 10:00:00</wp:post_date>
<wp:post_date_gmt>2012-02-20 10:00:00</wp:post_date_gmt><wp:post_name>sizes</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>{attachments}
</channel></rss>"""


def stored_url(base: str, name: str) -> str:
    from hodie.media.models import MediaFile

    return "/media/" + MediaFile.objects.get(source_url=f"{base}/{name}", status="stored").file


def test_srcset_is_localised_whole_or_dropped_and_galleries_use_the_stored_copies(
    db, client, image_server, media_settings, tmp_path
):
    from hodie.almanac.models import Article, Collection
    from hodie.media.models import ImageHost

    base, served = image_server
    (served / "kosenko-80.png").write_bytes(png(80, 60))
    (served / "gallery-a.png").write_bytes(png(12, 9))
    (served / "gallery-b.png").write_bytes(png(9, 12))
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "srcset.wxr"
    source.write_text(srcset_wxr(base, "attachment-2x.png"))  # the 2x copy is not on the server
    media = run("import", "wxr", str(source), "--collection", "ru", "--json", "--images")["media"]
    assert [Path(f["url"]).name for f in media["images_failed"]] == ["attachment-2x.png"]
    assert "HTTP 404" in media["images_failed"][0]["reason"]
    assert media["images_stored"] == 5 and media["articles_rewritten"] == 1
    # only a srcset named the failed file, and the srcset is gone: its host is not allowed for it
    assert not ImageHost.objects.exists()

    body = Article.objects.get(title="Sizes").body
    kosenko, wide, attachment = (stored_url(base, n) for n in ("kosenko.png", "kosenko-80.png", "attachment.png"))
    gallery_a, gallery_b = stored_url(base, "gallery-a.png"), stored_url(base, "gallery-b.png")
    assert (
        f'<img src="{kosenko}" srcset="{kosenko} 40w, {wide} 80w" sizes="(max-width: 600px) 40px, 80px" alt="Whole">'
    ) in body
    assert f'<img src="{attachment}" alt="Half">' in body  # srcset and sizes dropped, src local
    assert (
        f'<div class="gallery">\n<figure><img src="{gallery_a}" alt="gallery-a.png">'
        f"<figcaption>Winter</figcaption></figure>\n"
        f'<figure><img src="{gallery_b}" alt="gallery-b.png"></figure>\n</div>'
    ) in body
    assert base not in body

    page = client.get(Article.objects.get(title="Sizes").get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert f'srcset="{kosenko} 40w, {wide} 80w"' in html and '<div class="gallery">' in html


def test_without_fetching_a_srcset_from_a_host_not_allowed_is_dropped_on_the_page(db, client):
    from hodie.almanac.models import Article
    from hodie.media.models import ImageHost

    ImageHost.objects.create(host="img.example")
    article = Article.objects.create(
        title="Remote sizes", slug="remote-sizes", markup="html", status="published",
        body='<p><img src="https://img.example/a.jpg" srcset="https://img.example/a.jpg 1x, '
             'https://cdn.example/a2.jpg 2x" sizes="50vw" alt="Mixed"></p>'
             '<p><img src="https://img.example/b.jpg" srcset="https://img.example/b2.jpg 2x" alt="Allowed"></p>'
             '<p><img src="https://img.example/c.jpg" srcset="javascript:alert(1) 2x" alt="Script"></p>',
    )  # fmt: skip
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<img src="https://img.example/a.jpg" alt="Mixed">' in html  # cdn.example is not allowed
    assert '<img src="https://img.example/b.jpg" srcset="https://img.example/b2.jpg 2x" alt="Allowed">' in html
    assert '<img src="https://img.example/c.jpg" alt="Script">' in html  # cleaning refused the srcset


def queued_jobs() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    return [job.task_path for job in DBTaskResult.objects.filter(status="READY")]


def shown_images(html: str) -> dict[str, str]:
    """The ``<img>`` of a page's article by alternative text: its ``src``."""
    import re

    return {alt: src for src, alt in re.findall(r'<img src="([^"]*)" alt="([^"]*)">', html)}


def test_a_default_import_queues_the_copy_and_shows_the_images_meanwhile(
    db, client, image_server, media_settings, tmp_path, run_jobs
):
    """No flag: the import fetches nothing and queues the copy job; while the images wait their host
    is allowed, so the page shows them from the old server; the job stores what it can, rewrites the
    post, and a failed image keeps its address behind an allowed host, with its reason recorded."""
    from hodie.almanac.models import Article, Collection
    from hodie.media.models import ImageHost, MediaFile

    base, served = image_server
    host = base.removeprefix("http://")
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr(base))
    media = run("import", "wxr", str(source), "--collection", "ru", "--json")["media"]
    assert media["images_queued"] == 4 and media["files_waiting"] == 5 and media["job"]  # 4 images, 1 attachment
    assert queued_jobs() == ["hodie.media.jobs.copy_images"]
    assert set(MediaFile.objects.values_list("status", flat=True)) == {"queued"}
    assert not Path(media_settings.MEDIA_ROOT).exists()  # nothing fetched yet
    assert not ImageHost.objects.exists()

    post = Article.objects.get(title="A post with images")
    page = client.get(post.get_absolute_url())
    assert f"img-src 'self' data: https://{host} http://{host};" in page["Content-Security-Policy"]
    images = shown_images(page.content.decode())
    files = {"Kosenko": "kosenko.png", "Gone": "missing.png", "Huge": "huge.png", "Page": "page.png"}
    assert images == {alt: f"{base}/{name}" for alt, name in files.items()}

    run_jobs()
    assert queued_jobs() == []
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.get(task_path="hodie.media.jobs.copy_images").return_value
    assert result.startswith("Media: 2 stored, 3 failed; 1 posts now use local copies"), result
    assert f"{base}/missing.png: " in result and "HTTP 404" in result
    stored = MediaFile.objects.get(source_url=f"{base}/kosenko.png")
    assert stored.status == "stored" and MediaFile.objects.get(source_url=f"{base}/attachment.png").status == "stored"
    reasons = dict(MediaFile.objects.filter(status="failed").values_list("source_url", "reason"))
    assert set(reasons) == {f"{base}/{name}" for name in ("missing.png", "huge.png", "page.png")}
    assert "HTTP 404" in reasons[f"{base}/missing.png"]
    assert "larger than 20,000 bytes" in reasons[f"{base}/huge.png"]
    assert ImageHost.objects.get(host=host).allowed  # the failed images' host, now by the editor's list

    page = client.get(post.get_absolute_url())
    assert f"http://{host};" in page["Content-Security-Policy"]
    images = shown_images(page.content.decode())
    assert images["Kosenko"] == f"/media/{stored.file}" and images["Gone"] == f"{base}/missing.png"
    assert (Path(media_settings.MEDIA_ROOT) / stored.file).read_bytes() == (served / "kosenko.png").read_bytes()

    # the same file again: nothing changes, nothing waits, so no job is queued
    again = run("import", "wxr", str(source), "--collection", "ru", "--json")
    assert again["unchanged"]["article"] == 1 and again["media"] == {"images_queued": 0, "files_waiting": 0, "job": ""}
    assert queued_jobs() == []


def test_no_images_leaves_them_remote_behind_an_allowed_host(db, client, image_server, media_settings, tmp_path):
    from hodie.almanac.models import Article, Collection
    from hodie.media.models import ImageHost, MediaFile

    base, _ = image_server
    host = base.removeprefix("http://")
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr(base))
    media = run("import", "wxr", str(source), "--collection", "ru", "--json", "--no-images")["media"]
    assert media == {"images_left_remote": True, "hosts_allowed": [host]}
    assert queued_jobs() == []
    assert list(MediaFile.objects.values_list("source_url", flat=True)) == [f"{base}/attachment.png"]
    assert ImageHost.objects.get(host=host).allowed
    page = client.get(Article.objects.get(title="A post with images").get_absolute_url())
    assert f"http://{host};" in page["Content-Security-Policy"]
    assert shown_images(page.content.decode())["Kosenko"] == f"{base}/kosenko.png"
    assert not Path(media_settings.MEDIA_ROOT).exists()
    # a second import allows nothing new, and never undoes an editor's refusal
    ImageHost.objects.filter(host=host).update(allowed=False)
    assert (
        run("import", "wxr", str(source), "--collection", "ru", "--json", "--no-images")["media"]["hosts_allowed"] == []
    )
    assert not ImageHost.objects.get(host=host).allowed


def test_a_host_the_editor_refused_stays_refused_while_its_images_wait(
    db, client, image_server, media_settings, tmp_path
):
    """Waiting images allow their host only where no editor has decided: a refused host's images
    are links (never blocked without a trace), and its name is not in the policy."""
    from hodie.almanac.models import Article, Collection
    from hodie.media.models import ImageHost

    base, _ = image_server
    host = base.removeprefix("http://")
    ImageHost.objects.create(host=host, allowed=False)
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr(base))
    assert run("import", "wxr", str(source), "--collection", "ru", "--json")["media"]["images_queued"] == 4
    page = client.get(Article.objects.get(title="A post with images").get_absolute_url())
    assert host not in page["Content-Security-Policy"]
    html = page.content.decode()
    assert shown_images(html) == {} and f'<a href="{base}/kosenko.png" rel="noopener">Kosenko</a>' in html


def test_the_image_flags_are_checked(db, tmp_path):
    from hodie.almanac.models import Collection

    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr("http://img.example"))
    both = CliRunner().invoke(main, ["import", "wxr", str(source), "--collection", "ru", "--images", "--no-images"])
    assert both.exit_code != 0 and "give one of them" in both.output
    lines = tmp_path / "site.jsonl"
    lines.write_text("")
    other = CliRunner().invoke(main, ["import", "jsonl", str(lines), "--no-images"])
    assert other.exit_code != 0 and "--no-images is for a blog's images (blogger, wxr), not jsonl" in other.output
    assert queued_jobs() == []


def test_a_dry_run_queues_nothing(db, image_server, media_settings, tmp_path):
    from hodie.almanac.models import Collection
    from hodie.media.models import MediaFile

    base, _ = image_server
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr(base))
    assert "media" not in run("import", "wxr", str(source), "--collection", "ru", "--json", "--dry-run")
    assert queued_jobs() == [] and not MediaFile.objects.exists()


def test_one_request_reads_the_allowed_hosts_once(db):
    """Within pinned() (the CSP middleware wraps each request in it) the list does not change under
    a page: the links its HTML makes and its img-src agree. Outside it a change is seen at once."""
    from hodie.media.hosts import allowed_hosts, pinned
    from hodie.media.models import ImageHost

    with pinned():
        assert allowed_hosts() == frozenset()
        ImageHost.objects.create(host="img.example")
        assert allowed_hosts() == frozenset()
    assert allowed_hosts() == {"img.example"}


def test_a_queue_that_runs_jobs_at_once_copies_during_the_import(db, image_server, media_settings, tmp_path):
    """HODIE_TASKS_BACKEND=immediate: the job runs inside the import, and its summary is printed."""
    from hodie.almanac.models import Article, Collection

    media_settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    base, _ = image_server
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr(base))
    result = CliRunner().invoke(main, ["import", "wxr", str(source), "--collection", "ru"])
    assert result.exit_code == 0, result.output
    assert "Media: 2 stored, 3 failed; 1 posts now use local copies" in result.output
    assert f"{base}/missing.png: the server answered HTTP 404" in result.output
    assert "/media/imports/" in Article.objects.get(title="A post with images").body
    assert queued_jobs() == []


def test_a_job_that_cannot_be_queued_is_said_and_the_import_kept(db, monkeypatch, tmp_path):
    from hodie.almanac.models import Article, Collection
    from hodie.media import jobs

    class Away:
        def enqueue(self):
            raise ConnectionError("Redis is away")

    monkeypatch.setattr(jobs, "copy_images", Away())
    Collection.objects.create(slug="ru", title="Russia", region="ru")
    source = tmp_path / "images.wxr"
    source.write_text(wxr("http://img.example"))
    result = CliRunner().invoke(main, ["import", "wxr", str(source), "--collection", "ru"])
    assert result.exit_code == 1
    assert "the copy job could not be queued (ConnectionError: Redis is away)" in result.output
    assert "copy them with the same import and --images" in result.output
    assert Article.objects.filter(title="A post with images").exists()

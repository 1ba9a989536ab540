"""The stored comment block (hodie/social/context_processors.py, kind ``comments`` of
hodie/almanac/fragments.py): rendered once per change, read back afterwards, never holding a
reader's token, and dropped by every change to the comments it shows.

Each invalidation test first proves the page shows the stored block (a mark put into it
appears), then makes its one change: without the path under test the old block would be shown
and the test fails. The page cache is off (its generation kept, pages not stored): these are the
fragment's own paths, not the page cache's (tests/social/test_page_cache.py)."""

from __future__ import annotations

import pytest
from django.core.cache.backends.locmem import LocMemCache

from hodie.almanac.models import Fragment

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
DAY = "/russia/february-20/"
MARK = "<!-- stored block -->"


@pytest.fixture(autouse=True)
def no_page_cache(monkeypatch):
    from hodie.site import caching

    class NoPages(LocMemCache):
        def set(self, key, value, timeout=None, version=None):
            if not key.startswith("hodie:page:"):
                super().set(key, value, timeout, version)

    pages = NoPages("test-comment-blocks", {})
    pages.clear()
    monkeypatch.setattr(caching, "_cache", lambda: pages)


@pytest.fixture
def article(demo):
    from hodie.almanac.models import Article

    return Article.objects.get(source_id="demo-article-kosenko")


def read(client, url: str = ARTICLE, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def stored(client, url: str = ARTICLE) -> str:
    """Read ``url`` (its block is stored), mark the stored blocks, and prove the next read shows
    the stored one. Returns that page."""
    read(client, url)
    blocks = Fragment.objects.filter(kind="comments")
    assert blocks.exists()
    for block in blocks:
        Fragment.objects.filter(pk=block.pk).update(html=block.html.replace("</section>", MARK + "</section>"))
    page = read(client, url)
    assert MARK in page
    return page


def _comment(article, status: str, **fields):
    from hodie.social.models import Comment

    return Comment.objects.create(article=article, author_name="Zoe Block", body="Words kept.", status=status, **fields)


def test_the_stored_block_holds_no_token_and_each_page_gets_a_valid_one(client, article) -> None:
    import time

    from hodie.social.comments import TOKEN_STEP, Target, make_token

    first = read(client)
    block = Fragment.objects.get(kind="comments")
    assert 'name="token" value="hodie-comment-token"' in block.html
    assert "csrfmiddlewaretoken" not in block.html and "csrftoken" not in block.html
    token = make_token(Target(article=article), time.time() // TOKEN_STEP * TOKEN_STEP)
    assert token not in block.html
    second = read(client)
    # Both reads carry the current token in the form, the second from the stored block.
    assert f'name="token" value="{token}"' in first and f'name="token" value="{token}"' in second
    assert "hodie-comment-token" not in second
    assert "csrfmiddlewaretoken" not in second


def test_a_personal_request_is_neither_served_nor_stored(client, article) -> None:
    stored(client)
    page = read(client, reply="1")
    assert MARK not in page  # rendered afresh
    assert Fragment.objects.filter(kind="comments").count() == 1  # and not kept


def test_the_day_page_counts_come_with_the_block(client, article) -> None:
    """The demo's article has three approved comments (and one spam); one more approved, one pending: 4."""
    _comment(article, "approved")
    _comment(article, "pending")
    page = read(client, DAY)
    assert '<a href="#comments">4 comments</a>' in page
    block = Fragment.objects.get(kind="comments")
    assert block.meta == f'{{"{article.pk}": 4}}'
    assert '<a href="#comments">4 comments</a>' in read(client, DAY)  # from the stored block's counts


def test_a_comment_approved_by_saving_it(client, article) -> None:
    comment = _comment(article, "pending")
    assert "Zoe Block" not in stored(client)
    comment.status = "approved"
    comment.save()
    assert "Zoe Block" in read(client)


def test_a_comment_approved_in_the_admin(client, admin_client, article) -> None:
    comment = _comment(article, "pending")
    assert "Zoe Block" not in stored(client)
    done = admin_client.post("/admin/social/comment/", {"action": "approve", "_selected_action": [comment.pk]})
    assert done.status_code == 302  # QuerySet.update: no signal of its own
    assert "Zoe Block" in read(client)


def test_a_comment_hidden_in_the_admin(client, admin_client, article) -> None:
    comment = _comment(article, "approved")
    assert "Zoe Block" in stored(client)
    admin_client.post("/admin/social/comment/", {"action": "mark_spam", "_selected_action": [comment.pk]})
    assert "Zoe Block" not in read(client)


def test_a_comment_hidden_by_saving_it(client, article) -> None:
    comment = _comment(article, "approved")
    assert "Zoe Block" in stored(client)
    comment.status = "trash"
    comment.save()
    assert "Zoe Block" not in read(client)


def test_a_comment_edited(client, article) -> None:
    comment = _comment(article, "approved")
    assert "Words kept." in stored(client)
    comment.body, comment.html = "Words changed.", "<p>Words changed.</p>"
    comment.save()
    page = read(client)
    assert "Words changed." in page and "Words kept." not in page


def test_a_comment_deleted(client, article) -> None:
    comment = _comment(article, "approved")
    assert "Zoe Block" in stored(client, DAY)
    comment.delete()
    assert "Zoe Block" not in read(client, DAY)


def test_a_pending_comment_leaves_the_block_alone(client, article) -> None:
    """The checker above can fail: a comment nobody sees does not drop the stored blocks."""
    stored(client)
    _comment(article, "pending")
    assert MARK in read(client)


REPLY = """<!doctype html><html><body><article class="h-entry">
<a class="p-author h-card" href="{base}/">Harbin Archive</a>
<a class="u-in-reply-to" href="{target}">in reply to</a>
<div class="e-content">A stored reply arrives.</div></article></body></html>"""


def test_a_webmention_verified_then_gone(
    client, article, partner_site, loopback, run_jobs, django_capture_on_commit_callbacks
) -> None:
    from hodie.social.models import Mention, Partner

    Partner.objects.create(name="Harbin Archive", slug="harbin", site_url=f"{partner_site.base}/")
    ours = f"{loopback.SITE_URL}{ARTICLE}"
    source = partner_site.page("/reply/", REPLY.format(base=partner_site.base, target=ours))
    assert "A stored reply arrives." not in stored(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/webmention", {"source": source, "target": ours}).status_code == 202
    run_jobs()
    assert "A stored reply arrives." in stored(client)
    # The source is gone: the mention's comment is moved to the trash by QuerySet.update.
    partner_site.page("/reply/", "gone", status=410)
    Mention.objects.update(received=Mention.objects.get().received.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/webmention", {"source": source, "target": ours})
    run_jobs()
    assert Mention.objects.get().status == "deleted"
    assert "A stored reply arrives." not in read(client)

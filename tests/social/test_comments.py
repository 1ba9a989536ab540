"""Comments through the real form: each defence refuses what it should, a real reader gets through."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.django_db
ARTICLE = "/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/"
TAMPERED = "This form could not be accepted; reload the page and post again."


@pytest.fixture
def article(demo):
    from hodie.almanac.models import Article

    return Article.objects.get(source_id="demo-article-kosenko")


def form_of(client, url: str) -> dict[str, str]:
    html = client.get(url).content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(target|token)" value="([^"]*)"', html))
    assert set(fields) == {"target", "token"}, "the page has no comment form"
    return fields


def aged(fields: dict[str, str], seconds: int = 10) -> dict[str, str]:
    """The same form as if it had been served ``seconds`` ago (a person takes time to write)."""
    from hodie.social.comments import Target, make_token

    return {**fields, "token": make_token(Target.from_key(fields["target"]), time.time() - seconds)}


def post(client, url: str, seconds: int = 10, addr: str = "203.0.113.5", **fields):
    data = {**aged(form_of(client, url), seconds), "name": "Anna", "body": "A thoughtful comment.", **fields}
    return client.post("/comments/post/", data, REMOTE_ADDR=addr)


def test_demo_page_shows_the_partners_thanks_badged(client, article):
    html = client.get(ARTICLE).content.decode()
    assert "3 comments" in html  # the spam one is not shown
    assert "ExecutedToday" in html and '<span class="badge">partner</span>' in html
    assert '<span class="badge">author</span>' in html and "Cheap pills" not in html
    assert 'rel="nofollow ugc' in html  # the editor's link in a reply


def test_first_time_commenter_waits_and_is_told_the_same_as_spam(client, article, settings):
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "first-time"
    response = post(client, ARTICLE, email="anna@example.org")
    assert response.status_code == 303
    assert re.fullmatch(rf"{ARTICLE}\?comment=held&held=[^#&]+#comments", response["Location"])
    assert Comment.objects.get(author_name="Anna").status == "pending"
    settings.HODIE_COMMENT_DISALLOWED_WORDS = ["casino"]
    spam = post(client, ARTICLE, addr="203.0.113.77", name="Bob", body="Best casino offers")
    assert Comment.objects.get(author_name="Bob").status == "spam"
    assert spam.status_code == 303
    assert re.fullmatch(rf"{ARTICLE}\?comment=held&held=[^#&]+#comments", spam["Location"])
    # Each author is told it awaits a moderator and sees their own comment marked as waiting.
    for location, text in ((response["Location"], "A thoughtful comment."), (spam["Location"], "Best casino offers")):
        page = client.get(location.split("#")[0]).content.decode()
        assert "your comment awaits a moderator" in page
        assert text in page and "Only you see this comment until a moderator approves it." in page
    # Without the signed link, or with a forged one, nobody else sees a held comment.
    for query in ("?comment=held", "?comment=held&held=1", "?comment=held&held=" + "x" * 40):
        page = client.get(ARTICLE + query).content.decode()
        assert "A thoughtful comment." not in page and "Best casino offers" not in page


def test_known_commenter_is_shown_at_once_with_safe_markdown(client, article, settings):
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "first-time"
    import datetime as dt

    from django.utils import timezone

    yesterday = timezone.now() - dt.timedelta(days=1)
    Comment.objects.create(
        article=article,
        author_name="Anna",
        author_email="anna@example.org",
        body="x",
        status="approved",
        created=yesterday,
    )
    body = "I *agree*. See [the file](https://example.org/f) <script>alert(1)</script> [x](javascript:alert(2))"
    response = post(client, ARTICLE, email="ANNA@example.org", body=body)
    comment = Comment.objects.latest("pk")
    assert comment.status == "approved" and response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(ARTICLE).content.decode()
    assert "<em>agree</em>" in html
    assert '<a href="https://example.org/f" rel="nofollow ugc noopener">the file</a>' in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"token": "forged"}, 400, TAMPERED),
        ({"seconds": 1}, 400, TAMPERED),
        ({"seconds": 3 * 60 * 60}, 400, "expired"),
        ({"phone": "555-0100"}, 400, TAMPERED),
        ({"name": "N" * 101}, 400, "name"),
        ({"body": "B" * 5001}, 400, "body"),
        ({"website": "javascript:alert(1)"}, 400, "website"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"body": ""}, 400, "body"),
        ({"target": "article:999999"}, 400, "does not belong"),
    ],
)
def test_each_defence_refuses(client, article, change, status, message):
    from hodie.social.models import Comment

    before = Comment.objects.count()
    fields = aged(form_of(client, ARTICLE), change.pop("seconds", 10))
    data = {**fields, "name": "Anna", "body": "Hello", **change}
    response = client.post("/comments/post/", data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == status
    assert message in response.content.decode()
    assert Comment.objects.count() == before


def test_token_of_another_page_is_refused(client, article):
    from hodie.almanac.models import Entry

    # (The day page's form files under its article now, so another page is an entry's.)
    entry_form = aged(form_of(client, Entry.objects.order_by("pk").first().get_absolute_url()))
    data = {**aged(form_of(client, ARTICLE)), "token": entry_form["token"], "name": "A", "body": "Hi"}
    response = client.post("/comments/post/", data)
    assert response.status_code == 400 and TAMPERED in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [{"token": "forged"}, {"seconds": 1}, {"phone": "555-0100"}, {"other_page": True}],
    ids=["forged", "too fast", "honeypot", "other page"],
)
def test_a_tampered_form_is_not_told_which_check_tripped(client, article, change):
    """A forged token, a post faster than a person types, a filled honeypot and another page's
    token get the very same page, which names none of those checks."""
    fields = aged(form_of(client, ARTICLE), change.pop("seconds", 10))
    if change.pop("other_page", False):
        change["token"] = aged(form_of(client, "/russia/september-7/"))["token"]
    response = client.post("/comments/post/", {**fields, "name": "Anna", "body": "Hi", **change})
    text = response.content.decode()
    assert response.status_code == 400 and TAMPERED in text
    for telltale in ("token", "honeypot", "phone", "faster", "another page", "signature"):
        assert telltale not in text.split("<h1>", 1)[1].split("</ul>", 1)[0]


def test_rate_limit_and_duplicates(client, article, settings):
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    assert post(client, ARTICLE, addr="198.51.100.1").status_code == 303
    again = post(client, ARTICLE, addr="198.51.100.1", body="Another")
    assert again.status_code == 429 and again["Retry-After"] == "15"
    same_email = post(client, ARTICLE, addr="198.51.100.2", email="x@example.org", body="Mine too.")
    assert same_email.status_code == 303
    assert post(client, ARTICLE, addr="198.51.100.3", email="X@example.org", body="Other").status_code == 429
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    post(client, ARTICLE, addr="198.51.100.1")  # the very same comment again
    assert Comment.objects.filter(body="A thoughtful comment.", ip_hash__isnull=False).exclude(ip_hash="").count() == 1


def test_links_and_words_hold_a_comment(client, article, settings):
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_COMMENT_MODERATION_WORDS = ["viagra"]
    post(client, ARTICLE, addr="192.0.2.1", name="L", body="see https://a.example and https://b.example")
    post(client, ARTICLE, addr="192.0.2.2", name="W", body="about Viagra")
    post(client, ARTICLE, addr="192.0.2.3", name="R", body="one link https://a.example is fine")
    statuses = dict(Comment.objects.filter(author_name__in=["L", "W", "R"]).values_list("author_name", "status"))
    assert statuses == {"L": "pending", "W": "pending", "R": "approved"}


@pytest.mark.parametrize(
    ("policy", "age_days", "expected"),
    [("always", 0, "pending"), ("never", 0, "approved"), ("older-than", 400, "pending"), ("older-than", 1, "approved")],
)
def test_moderation_policies(client, article, settings, policy, age_days, expected):
    import datetime as dt

    from django.utils import timezone

    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = policy
    settings.HODIE_COMMENT_MODERATE_AFTER_DAYS = 30
    article.publish_at = timezone.now() - dt.timedelta(days=age_days)
    article.save()
    post(client, ARTICLE, name="P")
    assert Comment.objects.get(author_name="P").status == expected


def test_comments_close_after_n_days(client, article, settings):
    settings.HODIE_COMMENTS_CLOSE_AFTER_DAYS = 30  # the demo article is from 2008
    html = client.get(ARTICLE).content.decode()
    assert "Comments are closed." in html and 'id="comment-form"' not in html
    from hodie.social.comments import Target, make_token

    data = {"target": Target(article=article).key, "token": make_token(Target(article=article), time.time() - 10)}
    response = client.post("/comments/post/", {**data, "name": "Late", "body": "Too late"})
    assert response.status_code == 403


def test_replies_nest_to_the_depth_limit(client, article, settings):
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    settings.HODIE_COMMENT_MAX_DEPTH = 2
    top = Comment.objects.get(source_id="demo-comment-2")
    reply = Comment.objects.get(source_id="demo-comment-3")  # depth 2
    assert post(client, ARTICLE, parent=str(top.pk), name="D2", body="second level").status_code == 303
    too_deep = post(client, ARTICLE, parent=str(reply.pk), name="D3", body="third level")
    assert too_deep.status_code == 400 and "2 levels deep" in too_deep.content.decode()
    other_page = Comment.objects.create(
        collection=article.entries.first().collections.first(),
        day_key=220,
        author_name="X",
        body="y",
        status="approved",
    )
    assert post(client, ARTICLE, parent=str(other_page.pk), name="D4", body="elsewhere").status_code == 400


def test_staff_comment_is_approved_and_badged(admin_client, article, settings):
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "always"
    data = {**aged(form_of(admin_client, ARTICLE)), "name": "Editor", "body": "Editor's note"}
    assert admin_client.post("/comments/post/", data).status_code == 303
    comment = Comment.objects.get(author_name="Editor")
    assert (comment.status, comment.badge) == ("approved", "author")


def test_cross_site_posts_are_refused(article, settings):
    """The page carries no reader's CSRF token (a shared cache keeps it): a POST from another
    site's page is refused by its Origin or Fetch Metadata, with Django's token check enforced."""
    from django.test import Client

    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    strict = Client(enforce_csrf_checks=True)
    fields = aged(form_of(strict, ARTICLE))
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"}):  # fmt: skip
        refused = strict.post("/comments/post/", {**fields, "name": "Forged", "body": "B"}, headers=headers)
        assert refused.status_code == 403, headers
    assert not Comment.objects.filter(author_name="Forged").exists()
    for age, name, headers in ((10, "Browser", {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}),
                               (11, "OldBrowser", {"Origin": "http://testserver"})):  # fmt: skip
        fresh = aged(form_of(strict, ARTICLE), age)  # a token posts once per reader
        assert (
            strict.post("/comments/post/", {**fresh, "name": name, "body": f"From {name}"}, headers=headers).status_code
            == 303
        )
    assert Comment.objects.filter(author_name__in=["Browser", "OldBrowser"]).count() == 2


def test_day_and_entry_pages_take_comments(client, demo, settings):
    from hodie.almanac.models import Entry
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    assert post(client, "/russia/september-7/", name="DayReader").status_code == 303
    entry = Entry.objects.get(source_id="demo-ru-kosenko")
    assert post(client, entry.get_absolute_url(), name="EntryReader").status_code == 303
    day_comment = Comment.objects.get(author_name="DayReader")
    assert (day_comment.collection.slug, day_comment.day_key) == ("russia", 907)
    assert Comment.objects.get(author_name="EntryReader").entry == entry
    assert "DayReader" in client.get("/russia/september-7/").content.decode()
    assert "1 comment" in client.get(entry.get_absolute_url()).content.decode()


def test_a_day_page_holds_one_conversation_with_its_article(client, article, settings):
    """February 20 shows its article's comments as the day's own (one heading, one count), and a
    comment posted there is filed under the article, shown on both pages, and brings its author back
    to the day."""
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    day = client.get("/russia/february-20/").content.decode()
    assert day.count('class="discussion"') == 1 and '<h2 id="comments-heading">3 comments</h2>' in day
    assert "ExecutedToday" in day.split('class="discussion"', 1)[1]  # the partner's thanks, on the day page
    assert '<p class="comment-count"><a href="#comments">3 comments</a></p>' in day
    assert '<input type="hidden" name="back" value="/russia/february-20/">' in day
    response = post(client, "/russia/february-20/", name="DayReader", back="/russia/february-20/")
    stored = Comment.objects.get(author_name="DayReader")
    assert stored.article == article and stored.day_key is None
    assert response["Location"] == f"/russia/february-20/#comment-{stored.pk}"
    assert "DayReader" in client.get("/russia/february-20/").content.decode()
    assert "DayReader" in client.get(ARTICLE).content.decode()
    # A return address off the site is dropped, not followed.
    away = post(client, "/russia/february-20/", 12, name="Away", body="Another.", back="//evil.example/")
    assert away["Location"].startswith(ARTICLE)


def test_moderators_are_told_by_email_once(client, article, settings, django_capture_on_commit_callbacks, run_jobs):
    from django.core import mail

    settings.HODIE_COMMENT_MODERATION = "always"
    settings.HODIE_MODERATOR_EMAILS = ["mod@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, ARTICLE, name="Waiting", body="Please approve")
    assert mail.outbox == []  # never inside the request
    run_jobs()
    run_jobs()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.org"] and "Please approve" in mail.outbox[0].body


def test_comments_feed_lists_approved_comments(client, article):
    import feedparser

    parsed = feedparser.parse(client.get("/comments/feed.atom").content)
    assert not parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert any(t.startswith("ExecutedToday on 1939") for t in titles)
    assert not any("Cheap pills" in t for t in titles)


def test_day_page_counts_article_comments(client, demo):
    assert "3 comments" in client.get("/russia/february-20/").content.decode()


def test_admin_moderates_in_bulk(admin_client, article):
    from django.urls import reverse

    from hodie.social.models import Comment

    spam = Comment.objects.get(source_id="demo-comment-4")
    mine = Comment.objects.create(article=article, author_name="Held", body="x", status="pending")
    response = admin_client.post(
        reverse("admin:social_comment_changelist"), {"action": "approve", "_selected_action": [spam.pk, mine.pk]}
    )
    assert response.status_code == 302
    assert set(Comment.objects.filter(pk__in=[spam.pk, mine.pk]).values_list("status", flat=True)) == {"approved"}

"""The whole partner loop against a partner site served by the test on 127.0.0.1: the partner's
feed → a suggestion → an excerpt article on its day page → our Webmention to the partner → the
partner's reply Webmention → shown as "ExecutedToday said..." under the article."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Executed Today</title><link>{base}/</link><description>x</description>
<item><title>1939: Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy</title>
<link>{base}/2025/02/20/kosenko/</link><guid>{base}/?p=1939</guid>
<pubDate>Thu, 20 Feb 2025 10:00:00 +0000</pubDate>
<description><![CDATA[<p>Kosenko was recalled from Harbin in 1938.</p>
<p>He was shot on 20 February 1939.</p><script>alert(1)</script>]]></description>
</item></channel></rss>"""

PARTNER_ARTICLE = """<!doctype html><html><head><title>Kosenko</title>
<link rel="webmention" href="/wm"></head>
<body><article class="h-entry"><h1 class="p-name">Kosenko</h1></article></body></html>"""

REPLY = """<!doctype html><html><body>
<article class="h-entry">
  <a class="p-author h-card" href="{base}/">ExecutedToday</a>
  <a class="u-in-reply-to" href="{target}">in reply to</a>
  <div class="e-content">Thanks for the collaboration! <img src=x onerror=alert(1)></div>
  <time class="dt-published" datetime="2025-02-20T12:00:00+00:00">20 Feb</time>
</article></body></html>"""


@pytest.fixture
def russia(db):
    from hodie.almanac.models import Collection

    return Collection.objects.create(slug="russia", title="Russian history", region="ru")


def test_the_whole_partner_loop(
    client, russia, partner_site, loopback, run_jobs, django_capture_on_commit_callbacks, settings
):
    from hodie.social.models import Comment, Mention, Partner, Sent, Suggestion
    from hodie.social.partners import accept, poll

    base = partner_site.base
    partner_site.page("/feed/", FEED.format(base=base), content_type="application/rss+xml", ETag='"v1"')
    partner_site.page("/2025/02/20/kosenko/", PARTNER_ARTICLE)
    partner_site.page("/wm", "Accepted", status=202)
    partner = Partner.objects.create(name="ExecutedToday.com", slug="et", site_url=f"{base}/", feed_url=f"{base}/feed/")

    # 1. The feed becomes a suggestion with an entry dated from the title's year and the item's day.
    result = poll(partner, russia)
    assert (result.status, result.new) == ("ok", 1)
    suggestion = Suggestion.objects.get()
    assert (suggestion.entry_date, suggestion.link) == ("20 February 1939", f"{base}/2025/02/20/kosenko/")
    assert "<script" not in suggestion.excerpt
    again = poll(partner, russia)  # conditional GET: the partner answers 304
    assert again.status == "not modified" and partner_site.requests[-1][2].get("If-None-Match") == '"v1"'

    # 2. One action makes the excerpt article, filed on 20 February, crediting the partner.
    with django_capture_on_commit_callbacks(execute=True):
        article = accept(suggestion, cowritten=True)
    day = client.get("/russia/february-20/").content.decode()
    assert article.title in day and "Written together with" in day and "Read the full article" in day
    entry = article.entries.get()
    assert (entry.edtf, entry.needs_review) == ("1939-02-20", True)

    # 3. Publishing sent a Webmention to the partner's endpoint, through the queue.
    assert partner_site.posts == []
    run_jobs()
    run_jobs()
    sent = Sent.objects.get(target=f"{base}/2025/02/20/kosenko/")
    assert (sent.status, sent.endpoint) == ("sent", f"{base}/wm")
    ours = f"{settings.SITE_URL}{article.get_absolute_url()}"
    assert partner_site.posts == [("/wm", {"source": [ours], "target": [f"{base}/2025/02/20/kosenko/"]})]

    # 4. The partner replies with a Webmention; it is verified in the background and shown at once.
    reply_url = partner_site.page("/2025/02/20/thanks/", REPLY.format(base=base, target=ours))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/webmention", {"source": reply_url, "target": ours})
    assert response.status_code == 202 and response["Location"].endswith(f"/webmention/{Mention.objects.get().pk}")
    assert not Comment.objects.exists()
    run_jobs()
    comment = Comment.objects.get()
    assert (comment.status, comment.badge, comment.comment_type) == ("approved", "partner", "reply")
    assert comment.author_name == "ExecutedToday" and "onerror" not in comment.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert "ExecutedToday" in page and "Thanks for the collaboration!" in page and "partner</span>" in page

    # 5. Sent again: still one comment. Gone (410): removed.
    Mention.objects.update(received=Mention.objects.get().received.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/webmention", {"source": reply_url, "target": ours}).status_code == 202
    run_jobs()
    assert Comment.objects.filter(status="approved").count() == 1
    partner_site.page("/2025/02/20/thanks/", "gone", status=410)
    Mention.objects.update(received=Mention.objects.get().received.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/webmention", {"source": reply_url, "target": ours})
    run_jobs()
    assert Comment.objects.get().status == "trash" and Mention.objects.get().status == "deleted"


def test_a_stranger_mention_waits_for_moderation(
    client, demo, partner_site, loopback, run_jobs, django_capture_on_commit_callbacks, settings
):
    from hodie.social.models import Comment

    target = f"{settings.SITE_URL}/russia/february-20/"
    like = (
        f'<div class="h-entry"><a class="u-like-of" href="{target}">liked</a><span class="p-author">Ivan</span></div>'
    )
    source = partner_site.page("/likes/1", like)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/webmention", {"source": source, "target": target}).status_code == 202
    run_jobs()
    comment = Comment.objects.get(source_url=source)
    assert (comment.status, comment.comment_type, comment.day_key, comment.author_name) == (
        "pending",
        "like",
        220,
        "Ivan",
    )


def test_a_source_that_does_not_link_is_not_published(
    client, demo, partner_site, loopback, run_jobs, django_capture_on_commit_callbacks, settings
):
    from hodie.social.models import Comment, Mention

    source = partner_site.page("/nolink", "<p>Nothing here links to you.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/webmention", {"source": source, "target": f"{settings.SITE_URL}/russia/february-20/"})
    run_jobs()
    assert not Comment.objects.filter(source_url=source).exists()
    assert Mention.objects.get().detail == "the source does not link to the target"


@pytest.mark.parametrize(
    ("source", "target", "status", "message"),
    [
        ("https://a.example/x", "", 400, "target is missing"),
        ("ftp://a.example/x", "{site}/russia/february-20/", 400, "not an http or https URL"),
        ("{site}/russia/february-20/", "{site}/russia/february-20/", 400, "the same URL"),
        ("https://a.example/x", "https://elsewhere.example/page", 400, "not on this site"),
        ("https://a.example/x", "{site}/no/such/page/at/all/", 400, "not a page of this site"),
        ("https://a.example/x", "{site}/russia/february-30/", 400, "does not accept"),
    ],
)
def test_receiver_refuses_bad_requests(client, demo, settings, source, target, status, message):
    site = settings.SITE_URL
    response = client.post("/webmention", {"source": source.format(site=site), "target": target.format(site=site)})
    assert response.status_code == status and message in response.content.decode()


def test_same_pair_within_30_seconds_is_429_and_ten_sends_store_one(client, demo, settings):
    from hodie.social.models import Mention

    target = f"{settings.SITE_URL}/russia/february-20/"
    codes = [
        client.post("/webmention", {"source": "https://a.example/x", "target": target}).status_code for _ in range(10)
    ]
    assert codes == [202] + [429] * 9
    assert Mention.objects.count() == 1


def test_pages_advertise_the_endpoint_and_carry_microformats(client, demo, settings):
    response = client.get("/articles/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/")
    assert response["Link"] == f'<{settings.SITE_URL}/webmention>; rel="webmention"'
    html = response.content.decode()
    assert '<link rel="webmention" href="/webmention">' in html
    import mf2py

    parsed = mf2py.parse(doc=html, url="http://testserver/articles/x/")
    entry = next(i for i in parsed["items"] if "h-entry" in i["type"])
    assert entry["properties"]["name"] == ["1939: Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy"]
    comments = entry["properties"]["comment"]
    assert comments[0]["properties"]["author"][0]["properties"]["name"] == ["ExecutedToday"]


def test_a_killed_job_is_run_again_and_does_its_work_once(
    client, demo, partner_site, loopback, run_jobs, django_capture_on_commit_callbacks, settings
):
    """A worker killed while verifying leaves its job "running"; the lease puts it back, and the
    second run finds the comment the first one had already stored."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from hodie.social.jobs import requeue_stale
    from hodie.social.models import Comment, Mention
    from hodie.social.webmention import verify

    target = f"{settings.SITE_URL}/russia/february-20/"
    source = partner_site.page("/m", f'<div class="h-entry"><a href="{target}">mention</a></div>')
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/webmention", {"source": source, "target": target})
    verify(Mention.objects.get())  # the killed worker got this far...
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now() - dt.timedelta(hours=1))  # ...and died
    run_jobs()
    assert DBTaskResult.objects.get().status == "RUNNING"  # nobody runs a job that looks taken
    assert requeue_stale(lease_seconds=600) == 1
    run_jobs()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Comment.objects.filter(source_url=source).count() == 1


def test_sending_retries_with_backoff_then_succeeds(demo, partner_site, loopback, run_jobs):
    from django_tasks_db.models import DBTaskResult

    from hodie.almanac.models import Article
    from hodie.social.jobs import send_one
    from hodie.social.models import Sent

    partner_site.page("/p", '<html><head><link rel="webmention" href="/busy"></head></html>')
    partner_site.page("/busy", "try later", status=503)
    article = Article.objects.get(source_id="demo-article-kosenko")
    sent = Sent.objects.create(article=article, source="http://127.0.0.1:8000/a/", target=partner_site.base + "/p")
    send_one.enqueue(sent.pk)
    run_jobs()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("retrying", 1)
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.args_kwargs["kwargs"] == {"attempt": 2}
    partner_site.page("/busy", "ok", status=202)
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=waiting.enqueued_at)
    run_jobs()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("sent", 2)


def test_accepting_an_article_already_here_links_it_instead(demo, partner_site, loopback):
    from hodie.almanac.models import Article
    from hodie.social.models import Partner, Suggestion
    from hodie.social.partners import accept

    existing = Article.objects.get(source_id="demo-article-kosenko")
    partner = Partner.objects.get(slug="executedtoday")
    suggestion = Suggestion.objects.create(partner=partner, guid="et-1", title="1939: Kosenko", link=existing.full_url)
    assert accept(suggestion) == existing
    assert Article.objects.count() == 1
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.article) == ("accepted", existing)


def test_a_scheduled_article_is_announced_once_its_time_comes(demo, run_jobs):
    import datetime as dt

    from django.utils import timezone

    from hodie.almanac.models import Article
    from hodie.social.jobs import announce_due
    from hodie.social.models import Announced

    assert announce_due() == 0  # the demo article counts as announced: it was never sent late
    later = Article.objects.create(
        title="Tomorrow", slug="tomorrow", body="See [x](http://127.0.0.1:9/x).", status="published",
        publish_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    assert announce_due() == 0
    Article.objects.filter(pk=later.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert announce_due() == 1
    run_jobs()
    assert Announced.objects.filter(article=later).exists()
    assert announce_due() == 0


def test_the_worker_polls_each_partner_feed_when_it_is_due(db, russia, partner_site, loopback, run_jobs):
    """`hodie worker` queues a poll of every feed not polled for HODIE_PARTNER_POLL_MINUTES; a feed
    that failed counts as polled, a partner without a feed is never asked, 0 turns polling off."""
    import datetime as dt

    from django.utils import timezone

    from hodie.social.jobs import polls_due
    from hodie.social.models import FeedState, Partner, Suggestion

    base = partner_site.base
    partner_site.page("/feed/", FEED.format(base=base), content_type="application/rss+xml")
    fresh = Partner.objects.create(name="Fresh", slug="fresh", site_url=f"{base}/", feed_url=f"{base}/feed/")
    down = Partner.objects.create(name="Down", slug="down", site_url=f"{base}/", feed_url=f"{base}/gone/")
    Partner.objects.create(name="No feed", slug="nofeed", site_url=f"{base}/")
    assert polls_due(0) == 0
    assert polls_due(60) == 2  # neither feed was ever polled
    run_jobs()
    assert Suggestion.objects.filter(partner=fresh).count() == 1
    assert FeedState.objects.get(partner=down).last_status == "HTTP 404"
    assert polls_due(60) == 0  # both polled just now, the failed one too
    FeedState.objects.filter(partner=fresh).update(polled_at=timezone.now() - dt.timedelta(minutes=61))
    assert polls_due(60) == 1
    run_jobs()
    assert Suggestion.objects.filter(partner=fresh).count() == 1  # the same item is not suggested twice
    assert [r[1] for r in partner_site.requests].count("/feed/") == 2


DAY_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Days of Russia</title><link>{base}/</link><description>x</description>
<item><title>February 20 in Russian history</title>
<link>{base}/2008/02/february-20-in-russian-history.html</link><guid>{base}/?p=220</guid>
<pubDate>Wed, 20 Feb 2008 09:00:00 +0000</pubDate>
<description><![CDATA[<p>Two things happened on this day.</p>
<p><b>1939: Georgy Kosenko, NKVD spy</b><br>Shot in Moscow after a closed trial.</p>
<p><b>1965:</b> A spacewalk is rehearsed.</p>]]></description>
</item>
<item><title>Why we write</title><link>{base}/2008/03/why.html</link><guid>{base}/?p=301</guid>
<pubDate>Sat, 01 Mar 2008 09:00:00 +0000</pubDate>
<description><![CDATA[<p>A post about the blog, on no day.</p>]]></description>
</item></channel></rss>"""


def test_a_day_post_polled_by_the_worker_lands_on_its_day_page(client, russia, partner_site, loopback, run_jobs):
    """The worker's poll, then the editor's one action, run the day-post step `hodie import feed`
    runs: each event of "February 20 in Russian history" is an entry on 20 February."""
    from hodie.social.jobs import polls_due
    from hodie.social.models import Partner, Suggestion
    from hodie.social.partners import accept

    base = partner_site.base
    partner_site.page("/feed/", DAY_FEED.format(base=base), content_type="application/rss+xml")
    Partner.objects.create(name="Days of Russia", slug="dor", site_url=f"{base}/", feed_url=f"{base}/feed/")
    assert polls_due(60) == 1
    run_jobs()
    day_post = accept(Suggestion.objects.get(title="February 20 in Russian history"))
    other = accept(Suggestion.objects.get(title="Why we write"))

    entries = sorted(day_post.entries.values_list("edtf", "title", "summary"))
    assert entries == [
        ("1939-02-20", "Georgy Kosenko, NKVD spy", "Shot in Moscow after a closed trial."),
        ("1965-02-20", "A spacewalk is rehearsed", ""),
    ]
    assert not other.entries.exists()  # names no day: stays an article for an editor to place
    day = client.get("/russia/february-20/").content.decode()
    assert "Georgy Kosenko, NKVD spy" in day and "A spacewalk is rehearsed" in day
    assert day_post.title in day and "Read the full article" in day

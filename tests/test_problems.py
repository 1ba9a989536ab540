"""One error path: a refused request answers in the shape its audience was promised (docs/outputs.md,
docs/partners.md), and a failed outbound fetch is retried or not by its type, never by its text."""

from __future__ import annotations

import socket
from typing import NamedTuple

import pytest

pytestmark = pytest.mark.django_db


class Shape(NamedTuple):
    method: str
    url: str
    data: dict[str, str]
    status: int
    content_type: str
    says: str


SHAPES = [
    Shape("get", "/api/v1/entries?kind=battle", {}, 400, "application/problem+json", "kind must be one of"),
    Shape("get", "/api/v1/entries/no-such-entry", {}, 404, "application/problem+json", "no entry 'no-such-entry'"),
    Shape("get", "/api/rest_v1/feed/onthisday/all/02/30", {}, 404, "application/problem+json", "no day 02-30"),
    Shape("get", "/api/rest_v1/feed/onthisday/all/02/20?year=0", {}, 400, "application/problem+json", "year '0'"),
    Shape("post", "/webmention", {"source": "ftp://a.example/", "target": "x"}, 400, "text/plain", "source 'ftp:"),
    Shape("get", "/webmention/999999", {}, 404, "text/plain", "No such Webmention."),
    Shape("get", "/widget/russia/?date=02-30", {}, 400, "text/plain", "no day 02-30"),
    Shape("post", "/about/dates/order/", {"order": "sideways"}, 400, "text/html", "order is os or ns"),
]


@pytest.mark.parametrize("case", SHAPES, ids=[f"{c.method} {c.url}" for c in SHAPES])
def test_each_audience_gets_its_documented_shape(client, demo, case):
    response = getattr(client, case.method)(case.url, case.data)
    assert response.status_code == case.status
    assert response["Content-Type"].startswith(case.content_type)
    assert case.says in response.content.decode()


def test_own_api_errors_are_rfc_9457_problem_documents(client, demo):
    """type, title, status and detail (RFC 9457 §3.1), CORS open like the rest of the API."""
    response = client.get("/api/v1/entries?per_page=1000")
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "per_page must be between 1 and 100",
    }
    assert response["Access-Control-Allow-Origin"] == "*"


def test_wikimedia_errors_look_like_wikimedia_errors(client, demo):
    """Wikimedia's REST API answers an unknown feed type with HyperSwitch's not_found problem."""
    response = client.get("/api/rest_v1/feed/onthisday/battles/02/20")
    body = response.json()
    assert response.status_code == 404 and response["Access-Control-Allow-Origin"] == "*"
    assert body["type"] == "https://mediawiki.org/wiki/HyperSwitch/errors/not_found"
    assert body["title"] == "Not found." and body["method"] == "get"
    assert body["uri"] == "/api/rest_v1/feed/onthisday/battles/02/20" and "Unknown type 'battles'" in body["detail"]


def test_a_webmention_sent_again_too_soon_is_a_429_with_retry_after(client, demo, settings):
    target = f"{settings.SITE_URL}/russia/february-20/"
    first = client.post("/webmention", {"source": "https://a.example/post", "target": target})
    again = client.post("/webmention", {"source": "https://a.example/post", "target": target})
    assert first.status_code == 202
    assert again.status_code == 429 and again["Retry-After"] == "30" and again["Content-Type"].startswith("text/plain")


def test_a_problem_is_never_a_success():
    from hodie.site.problems import Problem

    with pytest.raises(ValueError, match="4xx or 5xx, not 200"):
        Problem("fine", 200)
    assert Problem("gone", 410).title == "Gone"


def test_an_unknown_shape_is_refused_when_declared():
    from hodie.site.problems import answers

    with pytest.raises(ValueError, match="unknown problem shape 'xml'"):
        answers("xml")


# ------------------------------------------------------------ retry decided by the failure's type


def _closed_port() -> int:
    with socket.socket() as probe:  # free a moment ago: nothing listens there now
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sent(settings):
    from hodie.almanac.models import Article
    from hodie.social.models import Sent

    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    article = Article.objects.create(title="A", slug="a", body="x", status="published")

    def make(target: str) -> Sent:
        return Sent.objects.create(article=article, source="https://hodie.example/articles/a/", target=target)

    return make


def test_connection_refused_is_retried(sent):
    """'Connection refused' holds the word 'refused' but is the network's answer: try again."""
    from hodie.social.webmention import send

    one = sent(f"http://127.0.0.1:{_closed_port()}/post")
    assert send(one) is False
    one.refresh_from_db()
    assert one.status == "failed" and "Connection" in one.detail


@pytest.mark.parametrize("target", ["http:///post", "http://user:secret@example.org/post"], ids=["no host", "password"])
def test_a_url_the_policy_refuses_is_not_retried(sent, target):
    from hodie.social.webmention import send

    one = sent(target)
    assert send(one) is True
    one.refresh_from_db()
    assert one.status == "failed"


def test_a_partner_poll_says_which_failure_it_was(settings):
    """A feed that is down failed in transit; a feed URL the policy refuses is refused for good."""
    from hodie.social.models import Partner
    from hodie.social.partners import poll

    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    down = poll(Partner.objects.create(name="Down", slug="down", feed_url=f"http://127.0.0.1:{_closed_port()}/feed"))
    refused = poll(Partner.objects.create(name="Odd", slug="odd", feed_url="gopher://partner.example/feed"))
    assert down.transient and down.status.startswith("failed:")
    assert not refused.transient and refused.status.startswith("refused:")


def test_a_mention_whose_source_is_down_is_verified_again_later(demo, settings, monkeypatch):
    """The job queues itself again (with backoff) when the source failed in transit."""
    from hodie.social import jobs
    from hodie.social.models import Mention

    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    target = f"{settings.SITE_URL}/russia/february-20/"
    mention = Mention.objects.create(source=f"http://127.0.0.1:{_closed_port()}/reply", target=target)
    queued = []
    monkeypatch.setattr(jobs, "retry", lambda job, attempt, *args: queued.append((job, attempt, args)) or True)
    result = jobs.verify_mention.call(mention.pk)
    assert result.startswith("retrying after attempt 1") and queued == [(jobs.verify_mention, 1, (mention.pk,))]
    monkeypatch.setattr(jobs, "retry", lambda *args: False)  # the last attempt: the mention is refused
    assert jobs.verify_mention.call(mention.pk, attempt=6).startswith("refused:")

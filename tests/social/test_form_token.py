"""How far a comment form's token can be replayed (issue 19: it could be reused for two hours).

Every reader of one cached page gets the same token, so it cannot be single use; instead it is good
for half an hour (plus the quarter hour it was issued in), and the same text posted with it a second
time, from anywhere else, is refused as a replay. Readers of a shared page still post freely."""

from __future__ import annotations

import re
import time

import pytest

from .test_comments import ARTICLE, aged, form_of

pytestmark = pytest.mark.django_db
REPLAYED = "This text was already posted on this page with this form; send the form below to post it again."


@pytest.fixture
def article(demo):  # type: ignore[no-untyped-def]
    from hodie.almanac.models import Article

    return Article.objects.get(source_id="demo-article-kosenko")


@pytest.fixture
def shared(client, article, settings):  # type: ignore[no-untyped-def]
    """One token, as every reader of the cached article page gets it; moderation off, no rate limit."""
    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_COMMENT_RATE_SECONDS = 0
    first, second = form_of(client, ARTICLE), form_of(client, ARTICLE)
    assert first == second  # the premise: readers of one cached page share the token
    return aged(first, 60)


def send(client, form: dict[str, str], addr: str, body: str, name: str = "Anna"):  # type: ignore[no-untyped-def]
    return client.post("/comments/post/", {**form, "name": name, "body": body}, REMOTE_ADDR=addr)


def refilled_token(html: str) -> str:
    found = re.search(r'<input type="hidden" name="token" value="([^"]*)"', html)
    assert found, "the refusal page gives no form back"
    return found.group(1)


def test_a_replayed_post_is_refused_and_stores_nothing(client, shared) -> None:
    from hodie.social.models import Comment

    assert send(client, shared, "203.0.113.80", "Buy cheap things.").status_code == 303
    replay = send(client, shared, "198.51.100.81", "Buy cheap things.", name="Someone else")
    assert replay.status_code == 400 and REPLAYED in replay.content.decode()
    assert Comment.objects.filter(body="Buy cheap things.").count() == 1


def test_a_double_click_is_the_same_comment_not_a_replay(client, shared) -> None:
    from hodie.social.models import Comment

    once = send(client, shared, "203.0.113.82", "Twice by mistake.")
    twice = send(client, shared, "203.0.113.82", "Twice by mistake.")
    assert once.status_code == twice.status_code == 303 and once["Location"] == twice["Location"]
    assert Comment.objects.filter(body="Twice by mistake.").count() == 1


def test_readers_of_one_cached_page_post_with_its_one_token(client, shared) -> None:
    """Another reader's text, and the same reader's second comment, go through with the token."""
    from hodie.social.models import Comment

    assert send(client, shared, "203.0.113.83", "My first thought.").status_code == 303
    assert send(client, shared, "203.0.113.83", "And a second one.").status_code == 303
    assert send(client, shared, "198.51.100.84", "Another reader here.", name="Boris").status_code == 303
    bodies = {"My first thought.", "And a second one.", "Another reader here."}
    assert Comment.objects.filter(body__in=bodies).count() == 3


def test_a_refused_replay_gives_the_text_back_with_a_token_that_posts(client, shared) -> None:
    """Two people who write the very same words: the second is told so, keeps the text, and the
    form it gets back carries a fresh token, under which the text is no replay."""
    from hodie.social.comments import check_token

    send(client, shared, "203.0.113.85", "Thank you!")
    refused = send(client, shared, "198.51.100.86", "Thank you!", name="Vera")
    html = refused.content.decode()
    assert refused.status_code == 400 and "Thank you!" in html
    fresh = refilled_token(html)
    assert fresh != shared["token"]
    issued = check_token(fresh, shared["target"], now=time.time() + 10)
    assert issued > time.time() - 60  # issued now, after the first "Thank you!" was stored


@pytest.mark.parametrize(
    ("minutes", "status"),
    [(29, 303), (44, 303), (46, 400), (2 * 60 - 1, 400)],
    ids=["half-hour", "within-its-quarter-hour", "past-it", "the-old-two-hours"],
)
def test_a_token_is_good_for_half_an_hour_and_its_quarter_hour(client, article, settings, minutes, status) -> None:
    from hodie.social.models import Comment

    settings.HODIE_COMMENT_MODERATION = "never"
    form = aged(form_of(client, ARTICLE), minutes * 60)
    response = send(client, form, "203.0.113.87", f"Written over {minutes} minutes.")
    assert response.status_code == status
    assert Comment.objects.filter(body=f"Written over {minutes} minutes.").count() == (status == 303)
    if status == 400:  # expired: the text comes back in a form with a token that posts
        html = response.content.decode()
        assert "The form has expired" in html and f"Written over {minutes} minutes." in html
        assert refilled_token(html) != form["token"]

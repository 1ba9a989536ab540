"""The spam service, against a fake that answers as Akismet's documentation says its test inputs
are answered: the author email ``akismet-guaranteed-spam@example.com`` is spam, ``user_role``
``administrator`` is ham (SECURITY.md §7, figure 10)."""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from tests.social.conftest import answer
from tests.social.test_comments import ARTICLE, post

pytestmark = pytest.mark.django_db
KEY = "0123456789ab"


@pytest.fixture
def fake_akismet():
    calls: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            calls.append({"path": self.path, **form})
            if self.path != "/1.1/comment-check":
                answer(self, 404, b"not found")
            elif form.get("api_key") != KEY:
                answer(self, 200, b"invalid", X_akismet_debug_help="We were unable to verify your API key.")
            elif form.get("user_role") == "administrator":
                answer(self, 200, b"false")
            elif form.get("comment_author_email") == "akismet-guaranteed-spam@example.com":
                answer(self, 200, b"true", X_akismet_pro_tip="discard")
            else:
                answer(self, 200, b"false")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/1.1/", calls
    server.shutdown()
    server.server_close()


@pytest.fixture
def service(fake_akismet, settings, demo):
    url, calls = fake_akismet
    settings.HODIE_AKISMET_KEY = KEY
    settings.HODIE_AKISMET_URL = url
    settings.HODIE_FETCH_ALLOW_LOOPBACK = True
    settings.HODIE_COMMENT_MODERATION = "never"
    return calls


def stored(name: str) -> str:
    from hodie.social.models import Comment

    return str(Comment.objects.get(author_name=name).status)


def test_the_service_marks_its_guaranteed_spam_as_spam(client, service):
    response = post(client, ARTICLE, name="Spammer", email="akismet-guaranteed-spam@example.com")
    assert response.status_code == 303 and "?comment=held&held=" in response["Location"]
    assert stored("Spammer") == "spam"
    (call,) = service
    assert call["comment_author"] == "Spammer" and call["comment_content"] == "A thoughtful comment."
    assert call["user_ip"] == "203.0.113.5" and call["comment_type"] == "comment"
    assert call["permalink"].endswith(ARTICLE) and call["blog_charset"] == "UTF-8"


def test_ham_is_left_to_the_sites_policy(client, service, settings):
    assert post(client, ARTICLE, name="Reader", email="reader@example.org").status_code == 303
    assert stored("Reader") == "approved"  # moderation "never"
    settings.HODIE_COMMENT_MODERATION = "always"
    post(client, ARTICLE, addr="203.0.113.6", name="Second", email="second@example.org", body="A second thought.")
    assert stored("Second") == "pending"
    assert len(service) == 2


def test_the_administrator_role_is_ham_and_staff_are_not_asked(admin_client, service):
    from django.test import RequestFactory

    from hodie.social import spamservice

    request = RequestFactory().post("/comments/post/", REMOTE_ADDR="203.0.113.9")
    # what the fake answers for user_role=administrator, asked directly: staff never reach the service
    assert spamservice.check(request, ARTICLE, "Editor", "ed@example.org", "", "Thanks") == "ham"
    service.clear()
    post(admin_client, ARTICLE, name="Editor", email="akismet-guaranteed-spam@example.com")
    assert stored("Editor") == "approved" and service == []


def test_a_local_spam_verdict_does_not_ask_the_service(client, service, settings):
    settings.HODIE_COMMENT_DISALLOWED_WORDS = ["casino"]
    post(client, ARTICLE, name="Local", body="Best casino offers")
    assert stored("Local") == "spam" and service == []


def test_an_invalid_key_holds_the_comment_and_says_why(client, service, settings, caplog):
    settings.HODIE_AKISMET_KEY = "wrong"
    with caplog.at_level(logging.WARNING, logger="hodie.social.spamservice"):
        response = post(client, ARTICLE, name="Held")
    assert response.status_code == 303 and stored("Held") == "pending"
    assert "invalid" in caplog.text and "unable to verify your API key" in caplog.text


def test_an_unreachable_service_holds_the_comment(client, service, settings, caplog):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.HODIE_AKISMET_URL = f"http://127.0.0.1:{port}/1.1/"
    with caplog.at_level(logging.WARNING, logger="hodie.social.spamservice"):
        post(client, ARTICLE, name="Offline")
    assert stored("Offline") == "pending" and "no verdict" in caplog.text


def test_a_private_service_address_is_refused_before_connecting(client, service, settings, caplog):
    settings.HODIE_AKISMET_URL = "http://10.0.0.1/1.1/"
    with caplog.at_level(logging.WARNING, logger="hodie.social.spamservice"):
        post(client, ARTICLE, name="Private")
    assert stored("Private") == "pending" and "refused" in caplog.text


def test_no_key_no_service(client, service, settings):
    settings.HODIE_AKISMET_KEY = ""
    post(client, ARTICLE, name="Plain", email="akismet-guaranteed-spam@example.com")
    assert stored("Plain") == "approved" and service == []


@pytest.fixture
def hook(settings, demo):
    """A second plug-in on the pre-save hook, answering what the test tells it to."""
    from hodie.social.comments import comment_will_be_saved

    settings.HODIE_AKISMET_KEY = ""  # the Akismet plug-in stays connected but has no opinion
    settings.HODIE_COMMENT_MODERATION = "never"
    seen: list[tuple[str, str]] = []
    answers: dict[str, str | None] = {}

    def receiver(sender, comment, request, **kwargs):
        assert comment.pk is None  # asked before the comment is stored
        seen.append((comment.author_name, comment.status))
        return answers.get(comment.author_name)

    comment_will_be_saved.connect(receiver, dispatch_uid="test-hook")
    yield seen, answers
    comment_will_be_saved.disconnect(dispatch_uid="test-hook")


@pytest.mark.parametrize(
    ("verdict", "stored_as"), [("spam", "spam"), ("hold", "pending"), (None, "approved")], ids=["spam", "hold", "none"]
)
def test_a_plug_in_on_the_pre_save_hook_decides(client, hook, verdict, stored_as):
    seen, answers = hook
    answers["Plugged"] = verdict
    response = post(client, ARTICLE, name="Plugged")
    assert response.status_code == 303 and stored("Plugged") == stored_as
    assert seen == [("Plugged", "approved")]  # it saw the moderation policy's own verdict


def test_the_pre_save_hook_is_not_asked_about_local_spam(client, hook, settings):
    seen, _answers = hook
    settings.HODIE_COMMENT_DISALLOWED_WORDS = ["casino"]
    post(client, ARTICLE, name="Casino", body="Best casino offers")
    assert stored("Casino") == "spam" and seen == []


def test_the_akismet_client_is_a_plug_in_of_the_hook():
    from hodie.social import spamservice
    from hodie.social.comments import comment_will_be_saved

    assert spamservice.judge in [entry[1]() for entry in comment_will_be_saved.receivers]  # (key, weakref, ...)

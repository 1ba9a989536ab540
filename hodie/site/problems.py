"""One type for a request Hodie refuses, and the one place that turns it into a response.

A view (or anything it calls) raises :class:`Problem` with a status and a message that names what
was wrong; :class:`ProblemMiddleware` answers it in the shape the view was declared with
(:func:`answers`), so that each audience gets what its documentation promises:

- ``HTML`` (the default): a page in the site's layout, in the reader's language (``problem.html``);
- ``PROBLEM_JSON``: Hodie's own API, ``application/problem+json`` (RFC 9457: ``type``, ``title``,
  ``status``, ``detail``);
- ``WIKIMEDIA``: the ``feed/onthisday`` API, shaped like Wikimedia's own errors (also problem+json,
  with HyperSwitch's ``type`` URIs), CORS ``*``;
- ``TEXT``: the Webmention endpoint, a line of plain text, as the W3C examples do.

A 429 carries ``Retry-After``. A URL nothing answers (``Http404``) and a failure get Hodie's own
pages too: :func:`not_found` and :func:`server_error`, Django's handler404 and handler500.

A write the database refuses for a reason of its own (a full disk, a read-only database, a lock held
by an import: :func:`storage_problem`) is no failure of the request: any view (the admin's login
included) and the failure page answer it 503 with ``Retry-After`` and the reason (:func:`refusal`).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

HTML = "html"
PROBLEM_JSON = "problem+json"
WIKIMEDIA = "wikimedia"
TEXT = "text"
SHAPES = (HTML, PROBLEM_JSON, WIKIMEDIA, TEXT)

WIKIMEDIA_TYPES = {
    400: "https://mediawiki.org/wiki/HyperSwitch/errors/bad_request",
    404: "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
}


class Problem(Exception):
    """A request refused with ``status``; ``detail`` names the problem and how to fix it.

    ``errors`` lists more than one problem, ``fields`` the same by a form's field name (so a page can
    show each beside its field); ``retry_after`` (seconds) goes into
    the ``Retry-After`` header of a 429 or 503; ``title`` defaults to the status's reason phrase."""

    def __init__(
        self,
        detail: str,
        status: int = 400,
        *,
        title: str = "",
        errors: Sequence[str] = (),
        fields: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        if not 400 <= status <= 599:
            raise ValueError(f"a problem's status is 4xx or 5xx, not {status}")
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.errors = list(errors) or [detail]
        self.fields = fields or {}
        self.retry_after = retry_after


def answers(shape: str, template: str = "") -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Declare the shape a view's problems are answered in (apply it outermost); an HTML view may
    name its own template, given ``problem``, ``problems`` (the list), ``back`` and ``data``."""
    if shape not in SHAPES:
        raise ValueError(f"unknown problem shape {shape!r}; use one of {', '.join(SHAPES)}")

    def mark(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.problem_shape = shape  # type: ignore[attr-defined]
        view.problem_template = template  # type: ignore[attr-defined]
        return view

    return mark


def _json(body: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json; charset=utf-8"
    )


def response_for(request: HttpRequest, problem: Problem, shape: str = HTML, template: str = "") -> HttpResponse:
    """The answer to ``problem`` in ``shape`` (an HTML page from ``template``, ``problem.html`` by default)."""
    if shape == PROBLEM_JSON:
        response = _json(
            {"type": "about:blank", "title": problem.title, "status": problem.status, "detail": problem.detail},
            problem.status,
        )
        response["Access-Control-Allow-Origin"] = "*"
    elif shape == WIKIMEDIA:
        kind = WIKIMEDIA_TYPES.get(problem.status, "about:blank")
        title = f"{HTTPStatus(problem.status).phrase.capitalize()}."  # Wikimedia's "Not found."
        body = {"type": kind, "title": title, "method": (request.method or "get").lower(), "detail": problem.detail}
        response = _json({**body, "uri": request.path}, problem.status)
        response["Access-Control-Allow-Origin"] = "*"
    elif shape == TEXT:
        response = HttpResponse(f"{problem.detail}\n", status=problem.status, content_type="text/plain; charset=utf-8")
    else:
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        context = {"problem": problem, "problems": problem.errors, "back": back, "data": request.POST}
        response = render(request, template or "problem.html", context, status=problem.status)
    if problem.retry_after is not None:
        response["Retry-After"] = str(problem.retry_after)
    return response


# Why a database refuses a write, by the engine's own error code: PostgreSQL's SQLSTATE (psycopg's
# ``sqlstate``), SQLite's result code name (``sqlite_errorname``, Python 3.11).
FULL, READ_ONLY, BUSY = "full", "read-only", "busy"
STORAGE_CODES = {
    "53100": FULL,  # disk_full
    "25006": READ_ONLY,  # read_only_sql_transaction (a hot standby)
    "55P03": BUSY,  # lock_not_available
    "SQLITE_FULL": FULL,
    "SQLITE_READONLY": READ_ONLY,
    "SQLITE_READONLY_DBMOVED": READ_ONLY,
    "SQLITE_BUSY": BUSY,
    "SQLITE_LOCKED": BUSY,
}
RETRY_SECONDS = 60


def storage_problem(err: BaseException) -> str | None:
    """``full``, ``read-only`` or ``busy`` when the database refused a write for that reason (its
    error code; the message's words when the driver gives none), else None."""
    if not isinstance(err, DatabaseError):
        return None
    cause = err.__cause__ or err
    code = getattr(cause, "sqlstate", None) or getattr(cause, "sqlite_errorname", None)
    if code in STORAGE_CODES:
        found: str | None = STORAGE_CODES[code]
    else:  # no code: SQLite's and PostgreSQL's own wording
        text = str(err).lower()
        found = (
            FULL if "disk is full" in text or "no space left" in text
            else READ_ONLY if "readonly" in text or "read-only" in text
            else BUSY if "database is locked" in text or "database table is locked" in text
            else None
        )  # fmt: skip
    if found in (FULL, READ_ONLY):
        what = "the disk is full" if found == FULL else "the database is read-only"
        log.error("A write was refused: %s (%s)", what, err)
    return found


def refusal(problem: str) -> Problem:
    """The 503 for a write the database refused (``problem`` from :func:`storage_problem`)."""
    reasons = {
        FULL: _("Nothing could be stored: the server's disk is full. Try again later."),
        READ_ONLY: _("Nothing could be stored: the site is read-only for maintenance. Try again later."),
        BUSY: _("Nothing could be stored: the site is busy storing other things. Try again in a minute."),
    }
    return Problem(reasons[problem], 503, retry_after=RETRY_SECONDS)


class ProblemMiddleware:
    """Answers a :class:`Problem` raised by a view in the shape the view declared."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Problem):
            reason = storage_problem(exception)
            if reason is None:
                return None
            exception = refusal(reason)
        view = request.resolver_match.func if request.resolver_match is not None else None
        shape = getattr(view, "problem_shape", HTML)
        return response_for(request, exception, shape, getattr(view, "problem_template", ""))


# The pages for a URL nothing answers and for a failure (Django's handler404 and handler500, named in
# hodie/site/urls.py): Hodie's own layout, in the reader's language, offering a way on.
DAY_VIEWS = {"day", "today", "random-day", "collection"}
THING_VIEWS = {"entry", "article", "person", "place", "tag"}


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A missing day offers the picker for its collection; a missing entry, article, person, place or
    tag offers a search for the words of its address; anything else, both."""
    match = request.resolver_match
    name = match.url_name if match is not None else ""
    kwargs = match.kwargs if match is not None else {}
    words = " ".join(str(kwargs.get("slug", "")).replace("-", " ").split())
    collection = _collection(kwargs.get("collection"))
    context = {
        "wanted": "day" if name in DAY_VIEWS else "thing" if name in THING_VIEWS else "page",
        "picker_collection": collection,
        "query": words,
    }
    return render(request, "not_found.html", context, status=404)


def _collection(slug: object) -> Any:
    from hodie.almanac import days
    from hodie.almanac.models import Collection

    found = Collection.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    return found or days.default_collection()


def server_error(request: HttpRequest) -> HttpResponse:
    """A failure's page: no database, no context processors (either may be what failed), only the
    layout's stylesheet and words in the reader's language. Django calls it while handling the
    failure, so a write the database refused outside any view (a session saved after the response)
    is told as such, 503, like one inside a view."""
    from django.template import engines
    from django.utils.translation import get_language

    reason = storage_problem(sys.exc_info()[1] or Exception())
    problem = refusal(reason) if reason is not None else None
    try:
        template = engines["jinja2"].get_template("server_error.html")
        html = template.render({"home": "/", "lang": (get_language() or "en")[:2], "problem": problem})
    except Exception:  # the last resort must answer even when rendering itself is what fails
        html = "<!doctype html><title>Server error</title><h1>Something went wrong on our side.</h1>"
    response = HttpResponse(html, status=problem.status if problem else 500, content_type="text/html; charset=utf-8")
    if problem is not None:
        response["Retry-After"] = str(problem.retry_after)
    return response

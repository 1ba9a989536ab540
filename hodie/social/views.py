"""The comment form's POST, the Webmention endpoint and the comments feed."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from hodie.almanac import feeds
from hodie.almanac.markup import render_comment
from hodie.almanac.views import site_url
from hodie.almanac.web import absolute
from hodie.importers import controls
from hodie.site.crossorigin import same_site_post
from hodie.site.problems import BUSY, FULL, HTML, READ_ONLY, RETRY_SECONDS, TEXT, Problem, answers, storage_problem

from . import comments, webmention
from .models import Comment
from .threads import held_link

log = logging.getLogger(__name__)


@answers(HTML, template="social/refused.html")  # the page keeps what the commenter wrote
@same_site_post  # no reader's token on a cached page (hodie/site/crossorigin.py)
@require_POST
def post_comment(request: HttpRequest) -> HttpResponse:
    """Store a comment and go back to its page (the day page it was posted from, for a day's
    article): to the comment when it is shown at once, else to a note that it awaits a moderator,
    with the comment shown to its author (the same whether it waits or was taken for spam)."""
    try:
        comment, target = comments.post_comment(request, request.POST)
    except DatabaseError as err:  # nothing was stored: say why, and when to send it again
        raise Problem(_unstored_reason(err), 503, retry_after=RETRY_SECONDS) from None
    page = comments.local_path(request.POST.get("back", "")) or target.url()
    if comment.status == "approved":
        return HttpResponseRedirect(f"{page}#comment-{comment.pk}", status=303)
    # Held (or taken for spam: the same answer): the author is told it awaits a moderator and sees it.
    return HttpResponseRedirect(f"{page}?{held_link(comment)}#comments", status=303)


def _unstored_reason(err: DatabaseError) -> str:
    """Why the database refused a comment, for the reader; any other failure is raised."""
    problem = storage_problem(err)
    if problem is None:
        raise err
    if problem == FULL:
        return _("Your comment was not saved: the site cannot store anything at the moment (its disk is full). "
                 "Keep your text and post it again later.")  # fmt: skip
    if problem == READ_ONLY:
        return _("Your comment was not saved: the site is read-only for maintenance. Post it again later.")
    return _("Your comment was not saved: the site is busy storing other things (an import, perhaps). "
             "Post it again in a minute.")  # fmt: skip


@answers(TEXT)
@csrf_exempt  # other sites post here by design (W3C Webmention); nothing here acts on a session
@require_POST
def receive_webmention(request: HttpRequest) -> HttpResponse:
    try:
        mention = webmention.receive(
            request.POST.get("source", ""), request.POST.get("target", ""), client=comments.client_hash(request)
        )
    except DatabaseError as err:  # not stored: the sender is told to send it again later (W3C: any 5xx)
        problem = storage_problem(err)
        if problem is None:
            raise
        reasons = {FULL: "its disk is full", READ_ONLY: "it is read-only for maintenance", BUSY: "it is busy"}
        detail = f"Not stored: {reasons[problem]}. Send the Webmention again later."
        raise Problem(detail, 503, retry_after=RETRY_SECONDS) from None
    response = HttpResponse(
        "Accepted: the source will be checked shortly.\n", status=202, content_type="text/plain; charset=utf-8"
    )
    response["Location"] = f"{site_url(request)}/webmention/{mention.pk}"
    return response


@answers(TEXT)
@require_safe
def webmention_status(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import Mention

    mention = Mention.objects.filter(pk=pk).first()
    if mention is None:
        raise Problem("No such Webmention.", 404)
    return HttpResponse(f"{mention.status}\n", content_type="text/plain; charset=utf-8")


def comments_feed(site: str) -> feeds.Feed:
    latest = (
        Comment.objects.filter(status="approved")
        .select_related("article", "entry", "collection")
        .order_by("-created", "-pk")[:50]
    )
    items = [
        feeds.Item(  # stripped: a control character stored before the form refused them breaks XML
            id=f"{site}{c.get_absolute_url()}",
            title=controls.strip(f"{c.shown_name or 'Someone'} on {c.target_label}"),
            link=f"{site}{c.get_absolute_url()}",
            html=controls.strip(str(render_comment(c))),
            published=c.created,
            authors=[controls.strip(c.shown_name)] if c.shown_name else [],
        )
        for c in latest
    ]
    return feeds.Feed(
        title="Comments",
        link=f"{site}/",
        self_url=f"{site}/comments/feed.rss",
        description="The latest comments",
        items=items,
    )


@require_safe
def comments_feed_view(request: HttpRequest, fmt: str) -> HttpResponse:
    feed = comments_feed(site_url(request))
    feed.self_url = absolute(request, request.get_full_path())
    return feeds.feed_response(feed, fmt)

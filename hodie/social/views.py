"""The comment form's POST, the Webmention endpoint and the comments feed."""

from __future__ import annotations

from django import forms
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from hodie.almanac import syndication
from hodie.almanac.markup import render_comment
from hodie.almanac.models import Comment
from hodie.almanac.outputs import feed_response
from hodie.almanac.views import site_url

from . import comments, webmention


@require_POST
def post_comment(request: HttpRequest) -> HttpResponse:
    """Store a comment and go back to its page: to the comment when it is shown at once, else to
    a note that is the same whether the comment waits for a moderator or was taken for spam."""
    try:
        comment, target = comments.post_comment(request, request.POST)
    except forms.ValidationError as err:
        errors = err.error_dict if hasattr(err, "error_dict") else {"__all__": err.messages}
        return _refused(request, [f"{k}: {'; '.join(str(m) for m in v)}" for k, v in errors.items()], 400)
    except comments.Refused as err:
        return _refused(request, [str(err)], err.status)
    except OperationalError:  # the database stayed locked past its timeout: ask the reader to retry
        return _refused(request, [_("The site is busy; post again in a moment.")], 503)
    if comment is not None:
        return HttpResponseRedirect(f"{target.url()}#comment-{comment.pk}", status=303)
    return HttpResponseRedirect(f"{target.url()}?comment=received#comments", status=303)


def _refused(request: HttpRequest, problems: list[str], status: int) -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    response = render(
        request, "social/refused.html", {"problems": problems, "back": back, "data": request.POST}, status=status
    )
    if status == 429:
        response["Retry-After"] = "15"
    return response


@csrf_exempt  # other sites post here by design (W3C Webmention); nothing here acts on a session
@require_POST
def receive_webmention(request: HttpRequest) -> HttpResponse:
    try:
        mention = webmention.receive(request.POST.get("source", ""), request.POST.get("target", ""))
    except webmention.Invalid as err:
        response = HttpResponse(f"{err}\n", status=err.status, content_type="text/plain; charset=utf-8")
        if err.status == 429:
            response["Retry-After"] = str(webmention.RESEND_SECONDS)
        return response
    response = HttpResponse(
        "Accepted: the source will be checked shortly.\n", status=202, content_type="text/plain; charset=utf-8"
    )
    response["Location"] = f"{site_url(request)}/webmention/{mention.pk}"
    return response


@require_safe
def webmention_status(request: HttpRequest, pk: int) -> HttpResponse:
    from .models import Mention

    mention = Mention.objects.filter(pk=pk).first()
    if mention is None:
        return HttpResponse("No such Webmention.\n", status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(f"{mention.status}\n", content_type="text/plain; charset=utf-8")


def comments_feed(site: str) -> syndication.Feed:
    latest = (
        Comment.objects.filter(status="approved")
        .select_related("article", "entry", "collection")
        .order_by("-created", "-pk")[:50]
    )
    items = [
        syndication.Item(
            id=f"{site}{c.get_absolute_url()}",
            title=f"{c.author_name or 'Someone'} on {c.target_label}",
            link=f"{site}{c.get_absolute_url()}",
            html=str(render_comment(c)),
            published=c.created,
            authors=[c.author_name] if c.author_name else [],
        )
        for c in latest
    ]
    return syndication.Feed(
        title="Comments",
        link=f"{site}/",
        self_url=f"{site}/comments/feed.rss",
        description="The latest comments",
        items=items,
    )


@require_safe
def comments_feed_view(request: HttpRequest, fmt: str) -> HttpResponse:
    feed = comments_feed(site_url(request))
    feed.self_url = request.build_absolute_uri()
    return feed_response(feed, fmt)

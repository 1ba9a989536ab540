"""WebFinger, NodeInfo, the actor (JSON for servers, a profile page for people), its outbox,
followers, Notes, icon, and the inboxes that take signed activities."""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from hodie import __version__
from hodie.almanac.models import Collection
from hodie.almanac.web import base_url
from hodie.site.problems import PROBLEM_JSON, Problem, answers

from . import activities, icon, inbox, remote
from .models import Actor, Post
from .posting import get_actor

log = logging.getLogger(__name__)
MAX_INBOX_BODY = 256 * 1024  # Mastodon's activities are a few kilobytes; a reply's cap is 5,000 characters
OUTBOX_PAGE = 20
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"


def _activity_json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, content_type=activities.CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _actor_or_404(slug: str) -> Actor:
    collection = get_object_or_404(Collection, slug=slug)
    actor = get_actor(collection)
    if not actor.enabled:
        raise Http404(f"{slug} has no fediverse account")
    return actor


def _wants_activity(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/activity+json" in accept or "application/ld+json" in accept


@require_safe
def webfinger(request: HttpRequest) -> HttpResponse:
    resource = request.GET.get("resource", "")
    if not resource:
        return JsonResponse({"error": "Give ?resource=acct:slug@host"}, status=400)
    slug = ""
    if resource.startswith("acct:"):
        user, _, host = resource[5:].lstrip("@").rpartition("@")
        if host.lower() in (activities.domain().lower(), activities.domain().split(":")[0].lower()):
            slug = user
    elif resource.startswith(activities.absolute("/@")):
        slug = resource[len(activities.absolute("/@")) :].strip("/")
    collection = Collection.objects.filter(slug=slug).first() if slug else None
    if collection is None:
        raise Http404(f"No account {resource!r} here")
    actor = get_actor(collection)
    if not actor.enabled:
        raise Http404(f"No account {resource!r} here")
    me = activities.actor_id(actor)
    data = {
        "subject": f"acct:{activities.handle(actor)}",
        "aliases": [me],
        "links": [
            {"rel": "self", "type": activities.CONTENT_TYPE, "href": me},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": me},
        ],
    }
    response = JsonResponse(data, content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    href = activities.absolute(reverse("fediverse:nodeinfo"))
    return JsonResponse({"links": [{"rel": NODEINFO_SCHEMA, "href": href}]})


@require_safe
def nodeinfo(request: HttpRequest) -> HttpResponse:
    actors = Actor.objects.filter(enabled=True).count()
    data = {
        "version": "2.1",
        "software": {
            "name": "hodie",
            "version": __version__,
            "repository": "https://github.com/hodie",
            "homepage": base_url(),
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": False,
        "usage": {
            "users": {"total": actors, "activeMonth": actors, "activeHalfyear": actors},
            "localPosts": Post.objects.filter(actor__enabled=True).count(),
        },
        "metadata": {"nodeName": activities.domain()},
    }
    content_type = f'application/json; profile="{NODEINFO_SCHEMA}#"'
    return JsonResponse(data, content_type=content_type)


@require_safe
def actor_view(request: HttpRequest, collection: str) -> HttpResponse:
    actor = _actor_or_404(collection)
    if _wants_activity(request):
        response = _activity_json(activities.actor_document(actor))
    else:
        posts = list(actor.posts.order_by("-published", "-pk")[:OUTBOX_PAGE])
        response = render(
            request,
            "fediverse/profile.html",
            {
                "actor": actor,
                "collection": actor.collection,
                "handle": activities.handle(actor),
                "followers": actor.followers.count(),
                "posts": posts,
                "summary": actor.summary or actor.collection.description,
                "icon_url": actor.icon_url or reverse("fediverse:icon", args=[collection]),
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def outbox(request: HttpRequest, collection: str) -> HttpResponse:
    actor = _actor_or_404(collection)
    posts = actor.posts.select_related("actor__collection").order_by("-published", "-pk")
    items = [activities.create(post) for post in posts[:OUTBOX_PAGE]]
    for item in items:
        item.pop("@context")
    return _activity_json(
        {
            "@context": activities.CONTEXT[0],
            "id": activities.absolute(request.path),
            "type": "OrderedCollection",
            "totalItems": posts.count(),
            "orderedItems": items,
        }
    )


@require_safe
def followers(request: HttpRequest, collection: str) -> HttpResponse:
    """How many follow; not who (Mastodon's default for an account that hides its network)."""
    actor = _actor_or_404(collection)
    return _activity_json(
        {
            "@context": activities.CONTEXT[0],
            "id": activities.absolute(request.path),
            "type": "OrderedCollection",
            "totalItems": actor.followers.count(),
        }
    )


@require_safe
def note_view(request: HttpRequest, collection: str, pk: int, activity: bool = False) -> HttpResponse:
    """A post as its Note, or (``…/activity``) as the Create that carried it."""
    actor = _actor_or_404(collection)
    post = get_object_or_404(Post.objects.select_related("actor__collection"), actor=actor, pk=pk)
    if not _wants_activity(request):
        return redirect(post.url)
    document = activities.create(post) if activity else {"@context": activities.CONTEXT[0], **activities.note(post)}
    response = _activity_json(document)
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def icon_view(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    response = HttpResponse(icon.png_for(found.slug), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _activity(body: bytes) -> dict:
    try:
        activity = json.loads(body)
    except ValueError as err:
        raise remote.Refused(f"The body is not JSON: {err}", status=400) from err
    if not isinstance(activity, dict):
        raise remote.Refused("The body is not an ActivityStreams object", status=400)
    return activity


def _receive(request: HttpRequest, inbox_actor: Actor | None) -> HttpResponse:
    """Check the size, the signature and the sender, then act; nothing is stored for a refusal.
    The signature is checked first, as Mastodon does: an unsigned request learns nothing more."""
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError as err:
        raise Problem("Content-Length is not a number") from err
    too_big = Problem(f"The activity is larger than {MAX_INBOX_BODY:,} bytes", 413)
    if length > MAX_INBOX_BODY:
        raise too_big
    body = request.read(MAX_INBOX_BODY + 1)
    if len(body) > MAX_INBOX_BODY:
        raise too_big
    headers = dict(request.headers)
    headers["Host"] = request.META.get("HTTP_HOST", "")
    path = request.get_full_path()
    try:
        with transaction.atomic():  # a refusal below rolls back whatever was stored above it
            signer = inbox_actor or Actor.objects.filter(enabled=True).order_by("pk").first()
            sender = remote.check_request("POST", path, headers, body, signer)
            done = inbox.handle(_activity(body), sender, inbox_actor)
    except remote.Refused as err:  # answered by ProblemMiddleware, as problem+json
        log.info("Refused an activity at %s: %s", path, err)
        raise
    log.info("Inbox %s: %s", path, done)
    return HttpResponse(status=202)


@answers(PROBLEM_JSON)
@csrf_exempt
@require_POST
def actor_inbox(request: HttpRequest, collection: str) -> HttpResponse:
    return _receive(request, _actor_or_404(collection))


@answers(PROBLEM_JSON)
@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return _receive(request, None)

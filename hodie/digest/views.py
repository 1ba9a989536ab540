"""Subscribe, confirm, unsubscribe. Only staff ever see who subscribed (in the admin): these pages
answer the same whoever asks, and the confirmation is sent whether or not the address is known."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import BadHeaderError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hodie.almanac.models import Collection

from .forms import SubscribeForm
from .jobs import keep_the_day
from .links import BadLink, read_confirm, read_unsubscribe
from .mail import confirmation_message
from .models import Subscriber

log = logging.getLogger(__name__)


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "digest/refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest, collection: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    if request.method != "POST":
        form = SubscribeForm(initial={"time_zone": settings.TIME_ZONE})
        return render(request, "digest/subscribe.html", {"collection": found, "form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "digest/subscribe.html", {"collection": found, "form": form}, status=400)
    wanted = form.request(found.slug)
    try:
        confirmation_message(wanted, found.title).send()
    except BadHeaderError:  # the form refuses line breaks already; this is the second wall
        return _refused(request, "That name or address cannot be put in an email header.")
    except (smtplib.SMTPException, OSError) as err:
        log.warning("Digest: the confirmation to %s could not be sent: %s", wanted.email, err)
        return _refused(request, "The confirmation email could not be sent just now; please try again later.", 503)
    return render(request, "digest/check_inbox.html", {"collection": found, "email": wanted.email})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST subscribes (a mail scanner that follows links only GETs)."""
    try:
        wanted = read_confirm(token)
    except BadLink as err:
        return _refused(request, str(err))
    found = Collection.objects.filter(slug=wanted.collection).first()
    if found is None:
        return _refused(request, f"The collection {wanted.collection!r} no longer exists.", status=404)
    check = SubscribeForm(
        {"email": wanted.email, "name": wanted.name, "hour": wanted.hour, "time_zone": wanted.time_zone}
    )
    if not check.is_valid():  # signed by us, so only a change of the rules since can get here
        return _refused(request, "This confirmation link is out of date; please subscribe again.")
    if request.method != "POST":
        return render(request, "digest/confirm.html", {"collection": found, "wanted": wanted, "token": token})
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=wanted.email,
            collection=found,
            defaults={"name": wanted.name, "time_zone": wanted.time_zone, "hour": wanted.hour},
        )
        if not created:
            if subscriber.status == Subscriber.ACTIVE and subscriber.time_zone != wanted.time_zone:
                keep_the_day(subscriber, wanted.time_zone, now)
            subscriber.name, subscriber.time_zone, subscriber.hour = wanted.name, wanted.time_zone, wanted.hour
            subscriber.status, subscriber.disabled_reason = Subscriber.ACTIVE, ""
            subscriber.confirmed_at = subscriber.changed_at = now
            subscriber.save()
    return render(request, "digest/confirmed.html", {"collection": found, "subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no cookie; the signed link is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = read_unsubscribe(token)
    except BadLink as err:
        return _refused(request, str(err))
    subscriber = Subscriber.objects.select_related("collection").filter(pk=pk).first()
    if subscriber is None:
        return render(request, "digest/unsubscribed.html", {"collection": None})
    if request.method != "POST":
        return render(request, "digest/unsubscribe.html", {"subscriber": subscriber, "token": token})
    if subscriber.status == Subscriber.ACTIVE:
        Subscriber.objects.filter(pk=pk).update(status=Subscriber.UNSUBSCRIBED, changed_at=timezone.now())
    return render(request, "digest/unsubscribed.html", {"collection": subscriber.collection})

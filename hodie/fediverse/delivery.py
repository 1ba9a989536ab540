"""Sending: a signed POST per (activity, inbox), each its own job, retried with backoff.

Every delivery is a :class:`Delivery` row first (once per activity and inbox), then a job. The
job signs the stored body as the actor and POSTs it under the outbound fetch policy. Mastodon's
own rules decide what a failure means: a 2xx is done; a 4xx other than 408 and 429 will not get
better and is given up at once; anything else (5xx, a timeout, a refused connection) is tried
again, 1, 2, 4, 8 and 16 minutes later, then given up on. A dead server costs its own rows one
bounded attempt each and never holds up another inbox's job.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from hodie.net import FetchError, fetch
from hodie.social import fetch_policy
from hodie.social.jobs import retry

from . import activities, signatures
from .models import Actor, Delivery, Post

log = logging.getLogger(__name__)
MAX_RESPONSE = 64 * 1024  # an inbox's answer is read and dropped


def queue_activity(actor: Actor, activity: dict[str, Any], inboxes: list[str]) -> int:
    """Store one delivery per distinct inbox and queue its job when the transaction commits."""
    body = json.dumps(activity, ensure_ascii=False, separators=(",", ":"))
    queued = []
    for inbox in dict.fromkeys(inboxes):
        delivery, created = Delivery.objects.get_or_create(
            activity_id=activity["id"][:500], inbox=inbox[:500], defaults={"actor": actor, "body": body}
        )
        if created:
            queued.append(delivery.pk)
    for pk in queued:
        transaction.on_commit(lambda pk=pk: deliver.enqueue(pk))
    return len(queued)


def inboxes_of(actor: Actor) -> list[str]:
    """Where the actor's followers are reached: each server's shared inbox once, else each inbox."""
    rows = actor.followers.select_related("remote").order_by("pk")
    return list(dict.fromkeys(f.remote.shared_inbox or f.remote.inbox for f in rows))


def publish(post: Post) -> int:
    """Send a post's Create to every follower's server; how many deliveries were queued."""
    return queue_activity(post.actor, activities.create(post), inboxes_of(post.actor))


def send(delivery: Delivery) -> str:
    """One attempt: ``sent``, ``failed`` (not worth another try) or ``retry`` (with the reason)."""
    actor = delivery.actor
    body = delivery.body.encode()
    headers = signatures.sign("POST", delivery.inbox, body, activities.key_id(actor), actor.private_key_pem)
    headers["Content-Type"] = activities.CONTENT_TYPE
    try:
        response = fetch(delivery.inbox, fetch_policy(MAX_RESPONSE), method="POST", headers=headers, data=body)
    except FetchError as err:  # decided by type: a refusal by policy is final, a failure in transit is retried
        delivery.last_error = str(err)[:500]
        return "retry" if err.transient else "failed"
    if 200 <= response.status < 300:
        delivery.last_error = ""
        return "sent"
    delivery.last_error = f"HTTP {response.status}"
    if 400 <= response.status < 500 and response.status not in (408, 429):
        return "failed"
    return "retry"


@task()
def deliver(delivery_id: int, attempt: int = 1) -> str:
    delivery = Delivery.objects.select_related("actor__collection").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in ("sent", "failed"):
        return "already done"
    outcome = send(delivery)
    delivery.attempts = attempt
    if outcome == "retry":
        outcome = "retrying" if retry(deliver, attempt, delivery_id) else "failed"
    delivery.status = outcome
    delivery.save(update_fields=["status", "attempts", "last_error", "updated"])
    if outcome != "sent":
        log.info("Delivery %s to %s: %s (%s)", delivery.activity_id, delivery.inbox, outcome, delivery.last_error)
    return f"{outcome}: {delivery.last_error}" if delivery.last_error else outcome

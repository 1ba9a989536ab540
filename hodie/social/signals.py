"""Publishing an article queues its Webmentions (after the transaction commits)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from hodie.almanac.models import Article

_quiet = contextvars.ContextVar("hodie_quiet_webmentions", default=False)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Save articles without announcing them (the demo content, restores)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


@receiver(post_save, sender=Article)
def article_saved(sender: type[Article], instance: Article, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.status != "published" or instance.publish_at > timezone.now():
        return
    if getattr(instance, "_importing", False) or _quiet.get():
        if instance.pk:  # (raw fixture loads returned above)
            from .models import Announced  # restored history counts as announced: never sent late

            Announced.objects.get_or_create(article=instance)
        return
    from .jobs import send_webmentions

    pk = instance.pk
    transaction.on_commit(lambda: send_webmentions.enqueue(pk))

"""Publishing an article queues its Webmentions (after the transaction commits); a comment shown
or no longer shown drops the stored comment blocks (hodie/almanac/fragments.py)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from hodie.almanac import fragments
from hodie.almanac.models import Article

from .models import Comment

_quiet = contextvars.ContextVar("hodie_quiet_webmentions", default=False)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Save articles without announcing them: the one switch, used by every import (the demo
    content, restores, blog exports), where the articles are history, not news."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


@receiver(post_save, sender=Article)
def article_saved(sender: type[Article], instance: Article, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.status != "published" or instance.publish_at > timezone.now():
        return
    if _quiet.get():
        if instance.pk:  # (raw fixture loads returned above)
            from .models import Announced  # restored history counts as announced: never sent late

            Announced.objects.get_or_create(article=instance)
        return
    from .jobs import send_webmentions

    pk = instance.pk
    transaction.on_commit(lambda: send_webmentions.enqueue(pk))


@receiver([post_save, post_delete], sender=Comment)
def comment_changed(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    """A comment approved, hidden, edited or deleted, or one verified from a Webmention, changes the
    blocks that show it. A pending or spam comment saved (every post a robot makes) shows nowhere,
    and leaves them alone; whether it was shown before the save, the page cache's ``post_init``
    receiver noted (hodie/site/caching.py)."""
    if instance.status == "approved" or getattr(instance, "_hodie_was_public", True):
        fragments.comments_changed()

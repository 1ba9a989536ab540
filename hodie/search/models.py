"""What is derived at save time for search and for "possibly related": never typed, always
recomputed from the entries, articles, people, places and tags (hodie/search/keys.py and
related.py), so either table may be emptied and rebuilt (``hodie reindex``)."""

from __future__ import annotations

from django.db import models

KINDS = (("person", "person"), ("place", "place"), ("tag", "tag"), ("entry", "entry"), ("article", "article"))


class SearchKey(models.Model):
    """One word of one spelling of an object: its name, an editor's alias, a romanisation derived
    from the name (``how`` names the scheme), or a word of an entry's or article's title and summary."""

    kind = models.CharField(max_length=8, choices=KINDS)
    object_id = models.BigIntegerField()
    spelling = models.CharField(max_length=300, help_text="The whole name or title the word is in, as written.")
    how = models.CharField(max_length=30, help_text="name, alias, text, or the romanisation scheme.")
    key = models.CharField(max_length=100)
    stem = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["key"], name="searchkey_key"),
            models.Index(fields=["stem"], name="searchkey_stem"),
            models.Index(fields=["kind", "object_id"], name="searchkey_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.spelling} ({self.how}) → {self.key}"


class Related(models.Model):
    """One line of an entry's or article's "possibly related" list, in ``rank`` order, with why."""

    REASONS = (("person", "also about"), ("place", "also in"), ("tag", "also tagged"), ("text", "words in common"))

    kind = models.CharField(max_length=8, choices=KINDS[3:])
    object_id = models.BigIntegerField()
    rank = models.PositiveSmallIntegerField()
    other_kind = models.CharField(max_length=8, choices=KINDS[3:])
    other_id = models.BigIntegerField()
    reason = models.CharField(max_length=8, choices=REASONS)
    because = models.CharField(max_length=300, help_text="The person, place, tag or words in common.")

    class Meta:
        ordering = ["kind", "object_id", "rank"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="related_object"),
            models.Index(fields=["other_kind", "other_id"], name="related_other"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} #{self.rank}: {self.other_kind} {self.other_id} ({self.reason})"

"""Comments on imported articles, entries and day pages, written after everything else so that a
reply finds its parent. A Webmention's comment brings back its mention's state."""

from __future__ import annotations

from django.utils import timezone

from hodie.almanac.models import Article, Entry
from hodie.importers.html import clean_html
from hodie.importers.records import CommentRecord, ImportProblem
from hodie.social.models import Comment, Mention

from .base import WriterBase
from .hashing import record_hash


class CommentWriting(WriterBase):
    def write_comments(self) -> None:
        stored: dict[str, Comment] = {}
        for record in self._comments:
            if not self._first_time("comment", record.source_id, record.where):
                continue
            target = self._target(record)
            if target is None:
                continue
            digest = record_hash(record)
            comment = Comment.objects.filter(source_id=record.source_id).first()
            if comment is not None and comment.import_hash == digest:
                self.summary.unchanged["comment"] += 1
                stored[record.source_id] = comment
                continue
            is_new = comment is None
            comment = comment or Comment(source_id=record.source_id)
            comment.article, comment.entry, comment.collection, comment.day_key = target
            comment.source_url = (
                record.source_url[:500] if record.source_url.startswith(("http://", "https://")) else ""
            )
            comment.author_name = record.author_name[:200]
            comment.author_email = record.author_email if "@" in record.author_email else ""
            comment.author_url = (
                record.author_url[:500] if record.author_url.startswith(("http://", "https://")) else ""
            )
            comment.body = clean_html(record.body, comment=True) if record.markup == "html" else record.body
            comment.markup = record.markup
            comment.status, comment.comment_type, comment.badge = record.status, record.comment_type, record.badge
            comment.created = record.created or comment.created or timezone.now()
            comment.import_hash = digest
            comment.save()
            if record.mention_target:
                self._mention(record, comment)
            stored[record.source_id] = comment
            self.summary.count("comment", is_new)
        for record in self._comments:
            if record.source_id not in stored:
                continue
            comment = stored[record.source_id]
            parent = stored.get(record.parent_id) if record.parent_id else None
            if parent is None and record.parent_id:
                parent = Comment.objects.filter(source_id=record.parent_id).first()
            if comment.parent_id != (parent.pk if parent else None):
                comment.parent = parent
                comment.save(update_fields=["parent"])

    def _target(self, record: CommentRecord) -> tuple[Article | None, Entry | None, object, int | None] | None:
        """(article, entry, collection, day_key) of the comment's one target; None (skipped) when
        its article or entry was not imported."""
        if record.day:
            slug, month_day = record.day.split("/")
            month, day = (int(part) for part in month_day.split("-"))
            if not (1 <= month <= 12 and 1 <= day <= 31):
                raise ImportProblem(record.where, f"day {record.day!r} is not a day of the year")
            return None, None, self._collection(slug, record.where), month * 100 + day
        if record.entry_id:
            entry = Entry.objects.filter(source_id=record.entry_id).first()
            if entry is None and record.entry_id.startswith("hodie:entry:"):
                entry = Entry.objects.filter(slug=record.entry_id.removeprefix("hodie:entry:")).first()
            if entry is None:
                self.summary.skip(record.where, "comment", f"its entry {record.entry_id} was not imported")
                return None
            return None, entry, None, None
        article = self._articles.get(record.article_id) or Article.objects.filter(source_id=record.article_id).first()
        if article is None and record.article_id.startswith("hodie:article:"):
            article = Article.objects.filter(slug=record.article_id.removeprefix("hodie:article:")).first()
        if article is None:
            self.summary.skip(record.where, "comment", f"its article {record.article_id} was not imported")
            return None
        return article, None, None, None

    @staticmethod
    def _mention(record: CommentRecord, comment: Comment) -> None:
        mention = Mention.objects.filter(source=record.source_url, target=record.mention_target).first()
        mention = mention or Mention(source=record.source_url, target=record.mention_target)
        mention.status = record.mention_status or "verified"
        mention.detail = record.mention_detail[:500]
        mention.received = record.mention_received or mention.received
        mention.verified_at = record.mention_verified
        mention.comment = comment
        mention.save()

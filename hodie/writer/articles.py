"""Articles and their authors."""

from __future__ import annotations

from dataclasses import replace

from django.core.validators import slug_re
from django.utils import timezone

from hodie.almanac.models import Article, Entry
from hodie.importers.html import clean_html
from hodie.importers.records import ArticleRecord, AuthorRecord, EntryRecord, ImportProblem, translations_dict
from hodie.social.models import Author

from .base import check_web_url
from .entries import EntryWriting
from .hashing import record_hash


class ArticleWriting(EntryWriting):
    def write_author(self, record: AuthorRecord) -> None:
        if not self._first_time("author", record.login or record.name, record.where):
            return
        name = (record.name or record.login).strip()
        if record.login:
            self.lookups.author_names[record.login] = name
        partner = self.lookups.partner(record.partner) if record.partner else None
        author = Author.objects.filter(name=name).first()
        if author is None:
            Author.objects.create(name=name[:200], url=record.url, partner=partner)
            self.summary.created["author"] += 1
            return
        changed = False
        if record.url and author.url != record.url:
            author.url, changed = record.url, True
        if partner is not None and author.partner_id != partner.pk:
            author.partner, changed = partner, True
        if changed:
            author.save(update_fields=["url", "partner"])
        self.summary.count("author", is_new=False, changed=changed)

    def write_article(self, record: ArticleRecord) -> None:
        if not self._first_time(record.kind, record.source_id, record.where):
            return
        check_web_url(record.where, "permalink", record.permalink)
        check_web_url(record.where, "full_url", record.full_url)
        partner = self.lookups.partner(record.partner) if record.partner else self.partner
        digest = record_hash(record, partner.slug if partner else "", *self._default_slug())
        article = Article.objects.filter(source_id=record.source_id).first()
        if article is not None and article.import_hash == digest:
            self.summary.unchanged[record.kind] += 1
            self._articles[record.source_id] = article
            return
        is_new = article is None
        if is_new and (same := self._same_article(record)) is not None:
            self.summary.skip(
                record.where,
                record.kind,
                f"the same article as {same.source_id or same.slug}, already stored from another source",
            )
            return
        article = article or Article(source_id=record.source_id)
        html = record.markup == "html"
        article.kind, article.title = record.kind, record.title.strip()[:300]
        article.excerpt = clean_html(record.excerpt) if html else record.excerpt
        article.body = clean_html(record.body) if html else record.body
        article.markup = record.markup
        article.status = record.status
        article.publish_at = record.published or article.publish_at or timezone.now()
        article.permalink, article.full_url = record.permalink[:500], record.full_url[:500]
        article.partner = partner
        article.cowritten = record.cowritten and partner is not None
        article.sticky = record.sticky
        article.language = record.language or self._default_language()
        article.translations = translations_dict(record.translations)
        article.import_hash = digest
        taken = Article.objects.filter(slug=record.slug).exclude(pk=article.pk).exists()
        if slug_re.fullmatch(record.slug) and not taken:  # Blogger's "?p=9" is no slug: one is made
            article.slug = record.slug[:100]
        article.save()
        article.authors.set([self.lookups.author(name) for name in record.authors])
        article.tags.set([self.lookups.tag(name) for name in record.tags if name.strip()])
        entries = [self.entry_now(self._named(entry)) for entry in record.entries]
        if record.entry_ids:
            found = {e.source_id: e for e in Entry.objects.filter(source_id__in=record.entry_ids)}
            missing = [i for i in record.entry_ids if i not in found]
            if missing:
                raise ImportProblem(record.where, f"no entry with id {', '.join(missing[:3])}")
            entries += [found[i] for i in record.entry_ids]
        article.entries.set([entry for entry in entries if entry is not None])
        self._articles[record.source_id] = article
        self.summary.count(record.kind, is_new)

    def _named(self, entry: EntryRecord) -> EntryRecord:
        """An event of a blog's day post, linked to the stored people and places its text names."""
        people, places = self.named_in(f"{entry.title}\n{entry.summary}")
        if not people and not places:
            return entry
        return replace(
            entry,
            people=tuple(dict.fromkeys((*entry.people, *people))),
            places=tuple(dict.fromkeys((*entry.places, *places))),
        )

    def _default_language(self) -> str:
        return self.default_collection.language if self.default_collection else "en"

    @staticmethod
    def _same_article(record: ArticleRecord) -> Article | None:
        """An article from another source (a blog's WXR, a partner's feed) that is this one: the
        same page by its permalink or its full-text URL. Importing it again would show it twice."""
        return Article.objects.at_any_url(record.permalink, record.full_url).first()

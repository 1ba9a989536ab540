"""Old addresses kept as redirects: each imported article's permalink, and the labels, categories,
tags, feeds and attachment pages a reader found (:class:`OldLinkRecord`).

A redirect as ``hodie export`` wrote it (:class:`RedirectRecord`: old path and new path) is written
as it comes. Old links are written at the end of a run, once every article is stored. Only
published articles are targets: a redirect to a draft would lead to a 404.
What cannot be kept is reported with its reason.
"""

from __future__ import annotations

from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hodie.almanac.models import Article
from hodie.importers.records import ImportProblem, OldLinkRecord, RedirectRecord
from hodie.site import redirects

from .base import WriterBase


class RedirectWriting(WriterBase):
    def add_old_link(self, record: OldLinkRecord) -> None:
        self._old_links.append(record)

    def write_redirect(self, record: RedirectRecord) -> None:
        if not self._first_time("redirect", record.old_path, record.where):
            return
        if len(record.old_path) > 200 or len(record.new_path) > 200:
            raise ImportProblem(
                record.where, "a redirect's paths are at most 200 characters (django.contrib.redirects)"
            )
        site = Site.objects.get_current()
        found = Redirect.objects.filter(site=site, old_path=record.old_path).first()
        if found is not None and found.new_path == record.new_path:
            self.summary.unchanged["redirect"] += 1
            return
        Redirect.objects.update_or_create(site=site, old_path=record.old_path, defaults={"new_path": record.new_path})
        self.summary.count("redirect", found is None)

    def write_redirects(self) -> None:
        now = timezone.now()
        wanted: dict[str, str] = {}
        for article in self._articles.values():
            if article.permalink and article.status == "published" and article.publish_at <= now:
                wanted.setdefault(article.permalink, article.get_absolute_url())
        for record in self._old_links:
            target = self._old_link_target(record, now)
            if not target:
                continue
            if not redirects.keepable(redirects.old_path(record.old_url), target):
                self._not_kept(record.where, f"{record.old_url[:120]} cannot be kept (too long, or the root)")
                continue
            wanted.setdefault(record.old_url, target)
        made, there = redirects.remember(wanted)
        self.summary.redirects["made"] += made
        self.summary.redirects["there"] += there

    def _not_kept(self, where: str, reason: str) -> None:
        self.summary.not_redirected.append({"where": where, "reason": reason})

    def _old_link_target(self, record: OldLinkRecord, now) -> str:
        if record.target == "article":
            article = Article.objects.filter(permalink=record.key).order_by("pk").first()
            if article is None or article.status != "published" or article.publish_at > now:
                self._not_kept(record.where, f"{record.old_url[:120]} leads to no published article")
                return ""
            return article.get_absolute_url()
        try:
            if record.target == "tag":
                tag = self.lookups.tag(record.key)
                return reverse("almanac:tag", args=[tag.slug])
            if record.target == "feed":
                return reverse("almanac:site-feed", kwargs={"fmt": record.key or "rss"})
            return reverse("social:comments-feed", kwargs={"fmt": record.key or "rss"})
        except NoReverseMatch:
            self._not_kept(record.where, f"{record.old_url[:120]}: {record.key!r} has no page here")
            return ""

"""The named things records refer to by name (people, tags, places, authors, partners): each found
or created once a run, then taken from the run's cache."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db.models import Model
from django.utils.text import slugify

from hodie.almanac.models import Alias, Person, Place, Tag, unique_slug
from hodie.social.models import Author, Partner

M = TypeVar("M", bound=Model)


class Cached(Generic[M]):
    """Name → stored object for one kind, made when no stored one matches (counted as created)."""

    def __init__(
        self,
        kind: str,
        created: Counter[str],
        find: Callable[[str], M | None],
        make: Callable[[str], M],
        key: Callable[[str], str] = str.casefold,
    ) -> None:
        self.kind, self.created, self.find, self.make, self.key = kind, created, find, make, key
        self.cache: dict[str, M] = {}

    def __call__(self, name: str) -> M:
        key = self.key(name)
        if key not in self.cache:
            found = self.find(name)
            if found is None:
                found = self.make(name)
                self.created[self.kind] += 1
            self.cache[key] = found
        return self.cache[key]


class NamedIn:
    """Which stored people and places a text names, by name or alias as whole words: a blog's
    events name them in running text ("Shot in Moscow"). The names are read once, when first asked."""

    def __init__(self) -> None:
        self._pattern: re.Pattern[str] | None = None
        self._names: dict[str, tuple[str, str]] = {}
        self._loaded = False

    def _load(self) -> None:
        names: dict[str, tuple[str, str]] = {}
        for name in Person.objects.values_list("name", flat=True):
            names[name] = ("person", name)
        for alias, person in Alias.objects.values_list("name", "person__name"):
            names.setdefault(alias, ("person", person))
        for name in Place.objects.values_list("name", flat=True):
            names.setdefault(name, ("place", name))
        # Longest first, so "Peter the Great" wins over a shorter name inside it; two-letter names
        # would match too much running text.
        wanted = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
        self._names, self._loaded = names, True
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, wanted)) + r")(?!\w)") if wanted else None

    def __call__(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(people, places) named in ``text``, each once, in the order met."""
        if not self._loaded:
            self._load()
        if self._pattern is None:
            return (), ()
        found = [self._names[m[0]] for m in self._pattern.finditer(text)]
        people = tuple(dict.fromkeys(name for kind, name in found if kind == "person"))
        places = tuple(dict.fromkeys(name for kind, name in found if kind == "place"))
        return people, places


def _saved(obj: M) -> M:
    obj.save()
    return obj


def _person(name: str) -> Person | None:
    found = Person.objects.filter(name__iexact=name).first()
    if found is None:
        alias = Alias.objects.filter(name__iexact=name).select_related("person").first()
        found = alias.person if alias else None
    return found


def _tag_slug(name: str) -> str:
    # The slug as stored (cut at the column's 100 characters): two long names that differ only
    # past that point are one tag, not a unique-constraint failure that stops the import.
    return slugify(name)[:100]


def _tag(name: str) -> Tag | None:
    slug = _tag_slug(name)
    return (Tag.objects.filter(slug=slug).first() if slug else None) or Tag.objects.filter(
        name__iexact=name[:100]
    ).first()


class Lookups:
    """The five lookups of one run. Authors are asked for by name or by a login an author record
    of the same run named (``names``)."""

    def __init__(self, created: Counter[str]) -> None:
        self.author_names: dict[str, str] = {}
        self.person = Cached("person", created, _person, lambda name: _saved(Person(name=name)))
        self.tag = Cached(
            "tag",
            created,
            _tag,
            lambda name: _saved(Tag(name=name[:100], slug=_tag_slug(name))),
            key=lambda name: _tag_slug(name) or name.casefold(),
        )
        self.place = Cached(
            "place",
            created,
            lambda name: Place.objects.filter(name__iexact=name).first(),
            lambda name: _saved(Place(name=name)),
        )
        self.author = Cached(
            "author",
            created,
            lambda name: Author.objects.filter(name=self._author_name(name)).first(),
            lambda name: Author.objects.create(name=self._author_name(name)[:200]),
            key=self._author_name,
        )
        self.partner = Cached(
            "partner",
            created,
            lambda name: (
                Partner.objects.filter(name=name).first() or Partner.objects.filter(slug=slugify(name)).first()
            ),
            lambda name: Partner.objects.create(name=name, slug=unique_slug(Partner, name)),
            key=str,
        )

    def _author_name(self, name_or_login: str) -> str:
        return self.author_names.get(name_or_login, name_or_login)

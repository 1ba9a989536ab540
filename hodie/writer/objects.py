"""Things written whole from one record: collections, partners, people, places and tags (keyed by
slug), and holiday rules."""

from __future__ import annotations

from hodie.almanac.models import Alias, Collection, HolidayRule, Person, Place, Tag
from hodie.importers.records import HolidayRuleRecord, ImportProblem, ObjectRecord, translations_dict
from hodie.social.models import Partner

from .base import WriterBase

MODELS = {"collection": Collection, "partner": Partner, "person": Person, "place": Place, "tag": Tag}


class ObjectWriting(WriterBase):
    def write_rule(self, record: HolidayRuleRecord) -> None:
        from hodie.dates.recurring import parse_rule

        if not self._first_time("holiday rule", record.stable_id, record.where):
            return
        rule = parse_rule(record.rule).canonical
        collection = self._collections_for(record.collections, record.where)[0]
        found = HolidayRule.objects.filter(source_id=record.stable_id).first()
        if found is None:
            HolidayRule.objects.create(
                collection=collection, title=record.title[:300], rule=rule, source_id=record.stable_id
            )
            self.summary.created["holiday rule"] += 1
        elif (found.collection_id, found.title, found.rule) != (collection.pk, record.title[:300], rule):
            found.collection, found.title, found.rule = collection, record.title[:300], rule
            found.save()
            self.summary.updated["holiday rule"] += 1
        else:
            self.summary.unchanged["holiday rule"] += 1

    def write_object(self, record: ObjectRecord) -> None:
        if not self._first_time(record.model, record.slug, record.where):
            return
        model = MODELS[record.model]
        fields = dict(record.fields)
        known = {f.name for f in model._meta.get_fields()}
        bad = [name for name in fields if name not in known or not isinstance(fields[name], str)]
        if "translations" in fields:  # read by the reader into the record's own field, never a plain one
            bad.append("translations")
        if bad:
            raise ImportProblem(
                record.where, f"{record.model}: {', '.join(bad)} must be text fields of a {record.model}"
            )
        obj = model._default_manager.filter(slug=record.slug).first()
        is_new = obj is None
        obj = obj or model(slug=record.slug)
        if record.model != "partner":
            fields["translations"] = translations_dict(record.translations)
        before = {name: getattr(obj, name) for name in fields}
        for name, value in fields.items():
            setattr(obj, name, value)
        changed = is_new or before != fields
        if changed:
            obj.full_clean(validate_unique=False)
            obj.save()
        if isinstance(obj, Person):
            current = set(obj.aliases.values_list("name", flat=True))
            if current != set(record.aliases):
                obj.aliases.exclude(name__in=record.aliases).delete()
                Alias.objects.bulk_create([Alias(person=obj, name=n) for n in record.aliases if n not in current])
                changed = True
        if isinstance(obj, Collection):
            self._collections[obj.slug] = obj
        self.summary.count(record.model, is_new, changed)

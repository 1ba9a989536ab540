"""Translations in the admin as ordinary form fields: "Title in Russian", "Summary in Russian" ...,
one per translatable field and configured language other than the original, instead of the raw
``translations`` JSON. What an editor types there is held to the rules of the original field:
its length limit, and no control characters (:mod:`hodie.importers.controls`, as the comment form
refuses them); a translation into the text's own language is refused by name.

The fields are declared on the form class for every language (an admin form's fields are fixed
when its class is made); :class:`TranslatedAdmin` shows those of the languages other than the
object's own, and the form drops the rest, so that a saved text in its own language never gets an
empty "translation" beside it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from hodie.importers import controls

from .models import LANGUAGE_NAMES
from .translations import LANGUAGES, TRANSLATABLE


def field_name(field: str, language: str) -> str:
    """``title_ru``: the form field of ``field``'s translation into ``language``."""
    return f"{field}_{language}"


def _form_field(model: type[models.Model], field: str, language: str) -> forms.CharField:
    original = model._meta.get_field(field)
    long_text = isinstance(original, models.TextField)
    return forms.CharField(
        required=False,
        max_length=getattr(original, "max_length", None),
        label=f"{str(original.verbose_name).capitalize()} in {LANGUAGE_NAMES.get(language, language)}",
        widget=forms.Textarea(attrs={"rows": 4, "lang": language})
        if long_text
        else forms.TextInput(attrs={"class": "vTextField", "lang": language}),
    )


class TranslationForm(forms.ModelForm):
    """A model form whose ``<field>_<language>`` fields are the object's translations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = self.instance.language if self.instance.pk else None
        for language in LANGUAGES:
            for field in self._translatable():
                name = field_name(field, language)
                if language == own:
                    self.fields.pop(name, None)  # a text is never translated into its own language
                elif name in self.fields:
                    self.initial.setdefault(name, (self.instance.translations or {}).get(language, {}).get(field, ""))

    def _translatable(self) -> tuple[str, ...]:
        return TRANSLATABLE[self._meta.model._meta.model_name]

    def _post_clean(self) -> None:
        """The translations written into ``instance.translations`` before the model's own checks
        run (after the form's ``clean``, which may settle the original language)."""
        original = self.cleaned_data.get("language") or self.instance.language
        kept = {k: dict(v) for k, v in (self.instance.translations or {}).items()}
        for field in self._translatable():
            typed = self.cleaned_data.get(field) or ""
            if field in self.changed_data and (problem := controls.problem_in(typed, typed=True)):
                self.add_error(field, f"This text holds {problem}: remove it.")
        for language in LANGUAGES:
            for field in self._translatable():
                name = field_name(field, language)
                if name not in self.fields or name not in self.cleaned_data:
                    continue
                text = (self.cleaned_data[name] or "").strip()
                if text and (problem := controls.problem_in(text, typed=True)):
                    self.add_error(name, f"This text holds {problem}: remove it.")
                    continue
                if text and language == original:
                    self.add_error(
                        name,
                        f"The text is written in {LANGUAGE_NAMES.get(language, language)}: put this in the "
                        f"{field} itself, or choose the language it is written in.",
                    )
                    continue
                texts = kept.setdefault(language, {})
                if text:
                    texts[field] = text
                else:
                    texts.pop(field, None)
        self.instance.translations = {k: v for k, v in sorted(kept.items()) if v}
        super()._post_clean()


def with_translations(model: type[models.Model], base: type[TranslationForm] = TranslationForm) -> type:
    """``base`` with a declared ``<field>_<language>`` field for each translatable field of
    ``model`` and each configured language."""
    declared = {
        field_name(field, language): _form_field(model, field, language)
        for language in LANGUAGES
        for field in TRANSLATABLE[model._meta.model_name]
    }
    return type(f"{model.__name__}TranslationForm", (base,), declared)


class TranslatedAdmin(admin.ModelAdmin):
    """An admin whose form (made by :func:`with_translations`) has the translation fields: they are
    shown under "Translations" for every language but the object's own (every language on an object
    not saved yet: its language is chosen in the same form), in place of the raw JSON."""

    def translation_fields(self, obj: models.Model | None) -> list[str]:
        own = obj.language if obj is not None and obj.pk else None  # type: ignore[attr-defined]
        fields = TRANSLATABLE[self.model._meta.model_name]
        return [field_name(f, language) for language in LANGUAGES if language != own for f in fields]

    def get_fieldsets(self, request, obj=None):  # type: ignore[no-untyped-def]
        every = {field_name(f, language) for language in LANGUAGES for f in TRANSLATABLE[self.model._meta.model_name]}
        hidden = every | {"translations"}
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        # Beside the original's language when the form has a place for it, else at the end.
        at = next((n + 1 for n, (name, _) in enumerate(fieldsets) if name == "Languages"), len(fieldsets))
        fieldsets.insert(at, ("Translations", {"fields": self.translation_fields(obj)}))
        return fieldsets

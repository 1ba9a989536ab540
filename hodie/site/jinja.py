"""The Jinja2 environment for public pages."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from hodie.almanac.markup import lead, plain_text, render, render_comment, render_markdown
from hodie.importers.html import is_web_url
from hodie.site.addresses import address


def civil(when: dt.date | dt.datetime, with_time: bool = False) -> str:
    """A publication date (or time) in the reader's interface language, on the site's clock:
    "20 February 2027, 14:05" / "20 февраля 2027 г., 14:05" (strftime would keep English months)."""
    from hodie.almanac.steering import civil_date

    text = civil_date(when, (get_language() or "en")[:2])
    if with_time and isinstance(when, dt.datetime):
        text += f", {timezone.localtime(when):%H:%M}"
    return text


@functools.lru_cache(maxsize=256)
def _static_url(storage_id: int, path: str) -> str:
    return static(path)


def static_url(path: str) -> str:
    """``static()`` for templates, remembered per storage: the manifest storage's lookup of the
    hashed name was 3 % of a served day page (py-spy; two assets a page). The storage is made anew
    when a test or ``hodie build`` changes STORAGES, and the key names it."""
    return _static_url(id(storages["staticfiles"]), path)


@functools.lru_cache(maxsize=4096)
def _translated(language: str | None, message: str, plural: str | None = None, num: int = 0) -> tuple[Markup, str]:
    """A template's message (``plural`` and ``num`` for ngettext's) in ``language``, whatever is
    active when it is missed: marked safe as Jinja's i18n marks it, and plain."""
    with translation.override(language):
        text = gettext(message) if plural is None else ngettext(message, plural, num)
    return Markup(text), text  # noqa: S704 - the site's own catalogue


def _language(eval_ctx: EvalContext) -> str | None:
    """The active language, read once per render: Django keeps it in a thread-local (an asgiref
    ``Local``, a few µs a read), and nothing a template calls changes it for the template's own
    text. The evaluation context is made anew for each render."""
    try:
        return eval_ctx.hodie_language  # type: ignore[attr-defined]
    except AttributeError:
        eval_ctx.hodie_language = language = get_language()  # type: ignore[attr-defined]
        return language


@pass_eval_context
def interface_text(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates: what Jinja's newstyle gettext does (the message in the
    active language, marked safe when the template escapes, then always ``% variables``), with each
    (language, message) looked up once per process. Jinja's own wrapper went through two
    ``Context.call``s and Django's thread-local catalogue lookup on every call, some thirty a page:
    a fifth of a page that is only the base template (docs/benchmarks.md, *Render path*)."""
    marked, plain = _translated(_language(eval_ctx), message)
    return (marked if eval_ctx.autoescape else plain) % variables


@pass_eval_context
def interface_plural(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    """``ngettext()`` in templates, as Jinja's newstyle one (``num`` given to the message unless named
    otherwise). Jinja's passed the template's context, which a call inside a loop copies with the
    loop's variables first: the collection page's 366 day cells made 366 contexts a request."""
    variables.setdefault("num", num)
    marked, plain = _translated(_language(eval_ctx), singular, plural, num)
    return (marked if eval_ctx.autoescape else plain) % variables


def _forget_texts(**_: Any) -> None:
    _static_url.cache_clear()
    _translated.cache_clear()  # a test's changed LANGUAGES or LOCALE_PATHS may change a translation


setting_changed.connect(_forget_texts, dispatch_uid="hodie.jinja.interface_text")


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 - autoescape set in settings
    # The i18n extension's set-up ({% trans %} in the newstyle, pgettext); _, gettext and ngettext are
    # replaced just below by the remembered ones.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "static": static_url,
            "url": address,
            "_": interface_text,
            "gettext": interface_text,
            "ngettext": interface_plural,
        }
    )
    env.filters.update(
        {
            "markdown": render_markdown,
            "plain": plain_text,
            "render": render,
            "lead": lead,
            "civil": civil,
            "comment_html": render_comment,
            # A stored link shown as a link only when it is an http(s) address (imports refuse the
            # rest; this also covers older rows and the admin's URL fields, which accept ftp:).
            "web_url": lambda url: url if url and is_web_url(url) else "",
        }
    )
    return env

"""The Jinja2 environment for public pages."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from hodie.almanac.markup import lead, plain_text, render, render_comment, render_markdown


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 - autoescape set in settings
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update({"static": static, "url": reverse})
    env.filters.update(
        {
            "markdown": render_markdown,
            "plain": plain_text,
            "render": render,
            "lead": lead,
            "comment_html": render_comment,
        }
    )
    return env

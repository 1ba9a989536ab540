"""The Jinja2 environment for public pages."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from hodie.almanac.markup import lead, plain_text, render, render_comment, render_markdown
from hodie.importers.html import is_web_url


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
            # A stored link shown as a link only when it is an http(s) address (imports refuse the
            # rest; this also covers older rows and the admin's URL fields, which accept ftp:).
            "web_url": lambda url: url if url and is_web_url(url) else "",
        }
    )
    return env

"""The subscription form: an address, an optional name, the hour and the time zone of delivery."""

from __future__ import annotations

import unicodedata
import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .links import Request

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False, strip=True)
    hour = forms.TypedChoiceField(label=_("Send it at"), choices=HOURS, coerce=int, initial=7)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("Filled in from your browser, e.g. Europe/Moscow."),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # A line break in a name would let it add mail headers ("Bcc: ..."); any control
        # character is refused with the same message rather than silently dropped.
        if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
            raise forms.ValidationError("A name cannot contain line breaks or other control characters.")
        return name

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data["time_zone"].strip()
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
            raise forms.ValidationError(
                f"{zone!r} is not a time zone name; use one like Europe/Moscow or America/New_York."
            ) from err
        return zone

    def request(self, collection: str) -> Request:
        data = self.cleaned_data
        email = data["email"].strip().lower()
        return Request(email, data["name"], collection, data["time_zone"], data["hour"])

"""Signed links: the confirmation link carries the whole subscription (nothing is stored before it
is followed) and expires; the unsubscribe link names a subscriber and never expires, since it sits
in every email a reader keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from hodie.almanac.web import base_url

CONFIRM_SALT = "hodie.digest.confirm"
UNSUBSCRIBE_SALT = "hodie.digest.unsubscribe"


class BadLink(ValueError):
    """A confirmation or unsubscribe link that is forged, damaged or expired."""


@dataclass(frozen=True)
class Request:
    """What a reader asked for on the subscription form, already validated."""

    email: str
    name: str
    collection: str
    time_zone: str
    hour: int


def absolute(path: str) -> str:
    return f"{base_url()}{path}"


def confirm_url(wanted: Request) -> str:
    token = signing.dumps(asdict(wanted), salt=CONFIRM_SALT, compress=True)
    return absolute(reverse("digest:confirm", args=[token]))


def read_confirm(token: str) -> Request:
    hours = settings.HODIE_DIGEST_CONFIRM_HOURS
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=hours * 3600)
    except signing.SignatureExpired as err:
        raise BadLink(
            f"This confirmation link has expired (links last {hours} hours); please subscribe again."
        ) from err
    except signing.BadSignature as err:
        raise BadLink("This confirmation link is not one Hodie sent; please subscribe again.") from err
    try:
        return Request(**data)
    except TypeError as err:  # signed by us, but by another version of the form
        raise BadLink("This confirmation link is out of date; please subscribe again.") from err


def unsubscribe_url(subscriber_id: int) -> str:
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber_id))
    return absolute(reverse("digest:unsubscribe", args=[token]))


def read_unsubscribe(token: str) -> int:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as err:
        raise BadLink("This unsubscribe link is not one Hodie sent.") from err

"""Other servers' actors: fetched under the outbound fetch policy, kept as :class:`RemoteActor`
rows, and the check of a signed request against the key of the actor it names."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.utils import timezone

from hodie.net import FetchError, fetch
from hodie.site.problems import Problem
from hodie.social import fetch_policy

from . import signatures
from .models import Actor, RemoteActor

log = logging.getLogger(__name__)
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
MAX_DOCUMENT = 512 * 1024  # an actor document; Mastodon's are a few kilobytes


class Refused(Problem):
    """A request from another server that is turned away: a :class:`Problem` (answered as
    problem+json by the inbox views) whose status is 401 unless the reason says otherwise."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message, status)


def get_document(url: str, signer: Actor | None = None) -> dict[str, Any]:
    """An ActivityStreams document by its id, or :class:`Refused` naming why not. Signed as
    ``signer`` when given: servers in "authorized fetch" mode (Mastodon's secure mode, bovine)
    answer only signed GETs."""
    headers = {"Accept": ACCEPT}
    if signer is not None:
        from .activities import key_id

        headers.update(signatures.sign("GET", url, None, key_id(signer), signer.private_key_pem))
    try:
        response = fetch(url, fetch_policy(MAX_DOCUMENT), headers=headers)
    except FetchError as err:  # refused by policy or failed in transit: either way the sender is not verified
        raise Refused(f"Could not fetch {url}: {err}") from err
    if response.status != 200:
        raise Refused(f"Could not fetch {url}: HTTP {response.status}")
    try:
        document = json.loads(response.body)
    except ValueError as err:
        raise Refused(f"{url} is not JSON: {err}") from err
    if not isinstance(document, dict):
        raise Refused(f"{url} is not an ActivityStreams object")
    return document


def _text(document: Mapping[str, Any], name: str) -> str:
    value = document.get(name)
    return value if isinstance(value, str) else ""


def actor_from(document: Mapping[str, Any], key_id: str) -> RemoteActor:
    """An unsaved :class:`RemoteActor` from an actor document whose ``publicKey`` is ``key_id``."""
    uri = _text(document, "id")
    key = document.get("publicKey")
    keys = key if isinstance(key, list) else [key]
    found = next((k for k in keys if isinstance(k, dict) and k.get("id") == key_id), None)
    if not uri or found is None:
        raise Refused(f"The actor document at {key_id} does not hold the key {key_id}")
    if found.get("owner") != uri:
        raise Refused(f"The key {key_id} belongs to {found.get('owner')!r}, not to {uri}")
    if urlsplit(uri).hostname != urlsplit(key_id).hostname:
        raise Refused(f"The key {key_id} is not on the server of its actor {uri}")
    inbox = _text(document, "inbox")
    if not inbox or not _text(found, "publicKeyPem"):
        raise Refused(f"The actor {uri} has no inbox or no public key")
    endpoints = document.get("endpoints")
    shared = _text(endpoints, "sharedInbox") if isinstance(endpoints, dict) else ""
    url = document.get("url")
    return RemoteActor(
        uri=uri[:500],
        key_id=key_id[:500],
        public_key_pem=found["publicKeyPem"],
        inbox=inbox[:500],
        shared_inbox=shared[:500],
        username=_text(document, "preferredUsername")[:200],
        name=_text(document, "name")[:200],
        url=(url if isinstance(url, str) else uri)[:500],
        fetched=timezone.now(),
    )


def fetch_actor(key_id: str, signer: Actor | None = None) -> RemoteActor:
    """Fetch the actor that owns ``key_id``: the key URL answers with the actor (Mastodon's
    ``…#main-key``) or with a key document whose ``owner`` is the actor."""
    document = get_document(urldefrag(key_id).url, signer)
    if document.get("id") != key_id and "publicKey" not in document and isinstance(document.get("owner"), str):
        document = get_document(document["owner"], signer)
    return actor_from(document, key_id)


def check_request(
    method: str, path: str, headers: Mapping[str, str], body: bytes | None, signer: Actor | None = None
) -> RemoteActor:
    """The sender of a signed request, saved; :class:`Refused` when the signature does not hold.
    A cached key that fails is fetched again once (the sender may have a new key); nothing is
    stored for a request that fails."""
    header = next((v for k, v in headers.items() if k.lower() == "signature"), "")
    if not header:
        raise Refused("The request is not signed (no Signature header)")
    try:
        parsed = signatures.parse(header)
    except signatures.SignatureError as err:
        raise Refused(str(err)) from err
    try:
        signatures.precheck(parsed, method, headers, body)
    except signatures.SignatureError as err:
        raise Refused(str(err)) from err
    cached = RemoteActor.objects.filter(key_id=parsed.key_id).first()
    if cached is not None:
        try:
            signatures.check_key(parsed, method, path, headers, cached.public_key_pem)
            return cached
        except signatures.SignatureError:
            log.info("The cached key %s does not verify; fetching it again", parsed.key_id)
    fresh = fetch_actor(parsed.key_id, signer)
    try:
        signatures.check_key(parsed, method, path, headers, fresh.public_key_pem)
    except signatures.SignatureError as err:
        raise Refused(str(err)) from err
    known = cached or RemoteActor.objects.filter(uri=fresh.uri).first()
    if known is not None:  # the same account with a new key: keep its row, and so its follows
        fresh.pk = known.pk
    fresh.save()
    return fresh

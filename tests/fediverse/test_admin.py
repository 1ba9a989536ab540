"""The editor sets each account's posting hour in the admin; an hour past 23 is refused."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_editor_sets_the_posting_hour(admin_client, demo):
    from hodie.fediverse.models import Actor
    from hodie.fediverse.posting import get_actor

    actor = get_actor(demo)
    url = f"/admin/fediverse/actor/{actor.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "Post hour" in page.content.decode()
    form = {"enabled": "on", "post_hour": "24", "summary": "", "icon_url": ""}
    refused = admin_client.post(url, form)
    assert refused.status_code == 200 and "less than or equal to 23" in refused.content.decode()
    assert Actor.objects.get(pk=actor.pk).post_hour == 8
    saved = admin_client.post(url, {**form, "post_hour": "6"})
    assert saved.status_code == 302
    assert Actor.objects.get(pk=actor.pk).post_hour == 6


def test_an_account_added_in_the_admin_gets_keys(admin_client, demo):
    from hodie.fediverse.models import Actor

    response = admin_client.post(
        "/admin/fediverse/actor/add/",
        {"collection": demo.pk, "enabled": "on", "post_hour": "7", "summary": "", "icon_url": ""},
    )
    assert response.status_code == 302
    actor = Actor.objects.get(collection=demo)
    assert actor.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert actor.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")

import pytest


@pytest.fixture
def editor(client, django_user_model):
    """A client signed in as a superuser, for the admin's pages."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    client.force_login(user)
    return client

import pytest


@pytest.fixture
def demo(db):
    """The demo content, loaded through the real importer."""
    from hodie.almanac.demo import load_demo

    load_demo()
    from hodie.almanac.models import Collection

    return Collection.objects.get(slug="russia")

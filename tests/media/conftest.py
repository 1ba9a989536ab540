import pytest


@pytest.fixture(autouse=True)
def forget_allowed_hosts():
    """A test's rollback removes its image hosts without a signal: the next test reads them again."""
    from hodie.media import hosts

    hosts.forget()
    yield
    hosts.forget()

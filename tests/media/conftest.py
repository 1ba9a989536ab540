import pytest


@pytest.fixture(autouse=True)
def forget_allowed_hosts():
    """A test's rollback removes its image hosts without a signal: the next test reads them again."""
    from hodie.media import hosts

    hosts.forget()
    yield
    hosts.forget()


@pytest.fixture
def run_jobs(monkeypatch):
    """Run every job waiting in the database queue, as `hodie worker` does, in this process and this
    test's transaction (its settings: the fetch policy lets it reach the test's image server)."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    return run

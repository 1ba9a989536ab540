"""The validators' long runs (the Nu Html Checker, the W3C feed validator, every page's structured
data) read the markup Hodie writes, which does not depend on the database engine: they run in the
SQLite run of `make test-all`, and the PostgreSQL run leaves them out to keep CI in its 90 minutes.
The everyday validator tests run on both."""

import os

import pytest


@pytest.fixture(autouse=True)
def one_engine_for_the_long_runs(request):
    if request.node.get_closest_marker("slow") and os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the markup does not depend on the database engine: the SQLite run validates it")

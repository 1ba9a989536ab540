"""Every parameter of the JSON APIs and of search, fuzzed with SQL and naughty strings: no 5xx, and
no reader's string ever becomes part of an SQL statement's text (it travels as a bound parameter).
SECURITY.md §7, figure 8. The statements are captured before the database interpolates anything,
through ``connection.execute_wrapper``, so a string in them came from the code, not the request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

BLNS = Path(__file__).resolve().parents[2] / "shared" / "data" / "security" / "minimaxir"
BLNS = BLNS / "big-list-of-naughty-strings" / "blns.json"

# Written for Hodie: the shapes an injection takes against SQLite, PostgreSQL and FTS5.
OWN = [
    "' OR '1'='1", "1; DROP TABLE almanac_entry; --", "1) UNION SELECT id, title FROM auth_user --",
    "x' AND (SELECT count(*) FROM sqlite_master) > 0 --", "1' || pg_sleep(1) || '", "%' OR 1=1 --",
    "title:kosenko OR body:*", 'kislov" OR "x', "NEAR(kislov spy)", "*", "-1", "1e309", "0x7fffffff",
    "99999999999999999999999", "1939-02-30", "../../etc/passwd", "<script>alert(1)</script>",
    "\u202e1939", "ℌ𝔬𝔡𝔦𝔢", "",
]  # fmt: skip

ENDPOINTS = {
    "/api/v1/entries": ["collection", "kind", "tag", "person", "from", "to", "century", "q", "page", "per_page"],
    "/api/v1/articles": ["collection", "tag", "page", "per_page"],
    "/api/v1/collections": ["page", "per_page"],
    "/api/rest_v1/feed/onthisday/all/02/20": ["collection", "year"],
    "/search/": ["q", "kind", "century", "collection", "tag"],
}


def _payloads(corpus: str) -> list[str]:
    if corpus == "own":
        return list(OWN)
    return [s for s in json.loads(BLNS.read_text(encoding="utf-8")) if "\x00" not in s]


def _leaked(payload: str, statements: list[str]) -> bool:
    """Whether ``payload``, as it is or quoted for SQL, is part of a statement's text. A payload of a
    few letters may be a word of our own SQL ("id", "OR"): only longer ones are looked for."""
    forms = {payload, payload.replace("'", "''")}
    return len(payload) >= 6 and any(form in sql for sql in statements for form in forms)


# The naughty strings (about 500, each sent to every parameter) are a corpus: `make test-all` only.
CORPORA = [
    "own",
    pytest.param(
        "blns",
        marks=[pytest.mark.shared, pytest.mark.skipif(not BLNS.is_file(), reason=f"{BLNS} is absent")],
    ),
]


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_parameter_reaches_the_sql_text_and_none_gives_a_5xx(client, demo, corpus: str) -> None:
    statements: list[str] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    payloads = _payloads(corpus)
    failures: list[str] = []
    with connection.execute_wrapper(capture):
        for path, names in ENDPOINTS.items():
            for name in names:
                for payload in payloads:
                    statements.clear()
                    response = client.get(path, {name: payload})
                    if response.status_code >= 500:
                        failures.append(f"{path}?{name}={payload!r}: {response.status_code}")
                    if _leaked(payload, statements):
                        failures.append(f"{path}?{name}={payload!r} is in the SQL text")
    assert failures == []
    assert len(payloads) >= (len(OWN) if corpus == "own" else 500)


def test_the_capture_sees_a_string_put_into_sql(demo) -> None:
    """The check above can fail: a statement built with the string in it is caught."""
    from hodie.almanac.models import Entry

    statements: list[str] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    payload = "' OR '1'='1"
    with connection.execute_wrapper(capture):
        list(Entry.objects.extra(where=[f"title = '{payload.replace(chr(39), chr(39) * 2)}'"]))
    assert _leaked(payload, statements)

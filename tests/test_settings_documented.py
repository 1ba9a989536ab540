"""The settings table: typed values, `hodie settings`, and the README's table row for row.

The README's rows are compared whole with hodie.config (name, default as written in the
environment, help), in order; a changed word in one of them fails the test."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hodie import config
from hodie.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ROW = re.compile(r"^\| `(HODIE_[A-Z0-9_]+)` \| (`[^`]*`|) ?\| (.*) \|$")


def readme_rows(text: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("| `HODIE_"):
            match = ROW.match(line)
            assert match, f"README row not in the table's shape: {line}"
            name, default, help_text = match.groups()
            rows.append((name, default.strip("`"), help_text))
    return rows


def differences(text: str) -> list[str]:
    """What differs between the README's rows and the table, one line per setting."""
    documented = readme_rows(text)
    table = [(s.name, s.default_text, s.help) for s in SETTINGS]
    found = [f"{row[0]}: README says {row[1:]!r}" for row in documented if row not in table]
    found += [f"{row[0]}: config says {row[1:]!r}" for row in table if row not in documented]
    if not found and [r[0] for r in documented] != [r[0] for r in table]:
        found.append("the README lists the settings in another order")
    return found


def test_the_readme_table_is_the_settings_table() -> None:
    assert differences(README.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("| `HODIE_SMTP_PORT` | `587` |", "| `HODIE_SMTP_PORT` | `25` |", "HODIE_SMTP_PORT"),
        ("How deep replies to replies go.", "How deep replies go.", "HODIE_COMMENT_MAX_DEPTH"),
        ("| `HODIE_DEBUG` | `false` |", "| `HODIE_DEBUG` | |", "HODIE_DEBUG"),
    ],
)
def test_a_row_that_differs_in_one_cell_is_caught(old: str, new: str, named: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert old in text
    problems = differences(text.replace(old, new))
    assert problems and all(p.startswith(named + ":") for p in problems)


def test_a_missing_or_extra_row_is_caught() -> None:
    text = README.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("| `HODIE_HSTS_PRELOAD`"))
    assert differences(text.replace(line + "\n", "")) == [
        f"HODIE_HSTS_PRELOAD: config says {('false', config.BY_NAME['HODIE_HSTS_PRELOAD'].help)!r}"
    ]
    extra = text.replace(line, line + "\n| `HODIE_NOT_A_SETTING` | `1` | Nothing. |")
    assert differences(extra) == ["HODIE_NOT_A_SETTING: README says ('1', 'Nothing.')"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("HODIE_DEBUG", "TRUE", True),
        ("HODIE_DEBUG", "off", False),
        ("HODIE_SMTP_PORT", " 2525 ", 2525),
        ("HODIE_ALLOWED_HOSTS", "a.example, b.example,,", ("a.example", "b.example")),
        ("HODIE_COMMENT_MODERATION", "never", "never"),
    ],
)
def test_values_are_typed(name: str, text: str, expected: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, text)
    assert config.value(name) == expected


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("HODIE_DEBUG", "maybe", "HODIE_DEBUG='maybe' is not a boolean"),
        ("HODIE_SMTP_PORT", "25a", "HODIE_SMTP_PORT='25a' is not a whole number"),
        ("HODIE_TASKS_BACKEND", "celery", "HODIE_TASKS_BACKEND='celery': use database, redis, immediate"),
        ("HODIE_COMMENT_MODERATION", "sometimes", "use always, first-time, older-than, never"),
    ],
)
def test_a_bad_value_names_the_setting(name: str, text: str, message: str, monkeypatch) -> None:
    monkeypatch.setenv(name, text)
    with pytest.raises(ValueError, match=re.escape(message)):
        config.value(name)


def test_a_setting_is_read_as_its_own_type_only() -> None:
    with pytest.raises(TypeError, match="HODIE_SMTP_PORT is a int setting, not a bool"):
        config.flag("HODIE_SMTP_PORT")


def test_the_defaults_are_typed_where_they_were_prose() -> None:
    assert config.BY_NAME["HODIE_DEBUG"].default is False
    assert config.BY_NAME["HODIE_JOB_LEASE_SECONDS"].default == 600
    assert config.BY_NAME["HODIE_ALLOWED_HOSTS"].default == ("127.0.0.1", "localhost")
    for name in ("HODIE_SECRET_KEY", "HODIE_DEFAULT_COLLECTION", "HODIE_DATABASE_URL"):
        assert config.BY_NAME[name].default == "" and "Empty:" in config.BY_NAME[name].help


def test_an_empty_database_url_is_the_sqlite_file_in_home(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HODIE_HOME", str(tmp_path))
    monkeypatch.setenv("HODIE_DATABASE_URL", "")
    assert config.database_url() == f"sqlite:///{tmp_path.resolve()}/hodie.sqlite3"
    monkeypatch.setenv("HODIE_DATABASE_URL", "postgresql://u@h:5432/n")
    assert config.database_url() == "postgresql://u@h:5432/n"


def test_hodie_settings_prints_the_table() -> None:
    from hodie.cli import main

    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 * len(SETTINGS)
    assert re.match(r"^HODIE_TASKS_BACKEND +str +default: database  one of: database, redis, immediate$", lines[18])
    assert re.match(r"^HODIE_LEAP_DAY_ON_FEB28 +bool +default: true$", lines[14])
    assert "default: (empty)" in lines[4] and lines[5].strip().startswith("Django's secret key.")
    rows = json.loads(CliRunner().invoke(main, ["settings", "--json"]).output)
    assert rows[10] == {
        "name": "HODIE_REDIS_URL", "type": "str", "default": "redis://127.0.0.1:6379/0", "choices": [],
        "help": "The Redis server of the `redis` job queue.",
    }  # fmt: skip


def test_settings_are_read_through_config_only() -> None:
    source = (ROOT / "hodie" / "site" / "settings.py").read_text()
    assert not re.search(r"\bos\.|import os|getenv", source)
    offenders = [str(p) for p in (ROOT / "hodie").rglob("*.py") if "getattr(settings," in p.read_text()]
    assert offenders == []

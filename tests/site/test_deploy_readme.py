"""What the README says `hodie manage check --deploy` reports is what it reports."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_deploy import PRODUCTION, _run

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readmes_production_settings_leave_exactly_the_two_warnings_it_names(tmp_path: Path) -> None:
    settings = {k: v for k, v in PRODUCTION.items() if k not in ("HODIE_HSTS_INCLUDE_SUBDOMAINS", "HODIE_HSTS_PRELOAD")}
    done = _run(tmp_path, settings, "-m", "hodie.cli", "manage", "check", "--deploy")
    found = set(re.findall(r"security\.W\d+", done.stdout + done.stderr))
    named = set(re.findall(r"`(security\.W\d+)`", README.split("## Layout")[0]))
    assert found == named == {"security.W005", "security.W021"}

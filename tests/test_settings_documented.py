"""Every setting in hodie.config is in the README's table, and the table names no other."""

import re
from pathlib import Path

from hodie.config import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(HODIE_[A-Z0-9_]+)` \|", text, flags=re.M))
    assert documented == {setting.name for setting in SETTINGS}

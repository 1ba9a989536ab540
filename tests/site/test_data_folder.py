"""The data folder: the database file is owner-only; a folder that cannot be written gets a
message naming it, not a traceback."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

HODIE = str(Path(sys.executable).parent / "hodie")
SQLITE = pytest.mark.skipif(os.environ.get("HODIE_DATABASE_URL", "").startswith("postgres"), reason="a SQLite file")


@SQLITE
def test_the_database_file_is_created_owner_only(tmp_path) -> None:
    env = {**os.environ, "HODIE_HOME": str(tmp_path), "HODIE_DATABASE_URL": ""}
    subprocess.run([HODIE, "migrate"], env=env, check=True, capture_output=True)
    assert stat.S_IMODE((tmp_path / "hodie.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


@SQLITE
@pytest.mark.skipif(not shutil.which("chattr"), reason="chattr makes a folder read-only even for root")
def test_a_read_only_data_folder_is_named_in_a_message(tmp_path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HODIE_HOME": str(home), "HODIE_DATABASE_URL": ""}
    subprocess.run(["chattr", "+i", str(home)], check=True)
    try:
        done = subprocess.run([HODIE, "migrate"], env=env, capture_output=True, text=True)
    finally:
        subprocess.run(["chattr", "-i", str(home)], check=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"Error: Cannot use {home}" in done.stderr and "writable" in done.stderr

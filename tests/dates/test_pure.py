"""The date core never imports Django (the architecture's one-way dependency)."""

import subprocess
import sys


def test_dates_core_does_not_import_django() -> None:
    code = "import hodie.dates, hodie.importers.jsonl, sys; assert 'django' not in sys.modules, 'django imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

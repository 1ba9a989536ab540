"""The date core and every import reader never import Django (the architecture's one-way
dependency): each is imported alone in a fresh interpreter, which then must not hold Django."""

import pkgutil
import subprocess
import sys

import pytest

import hodie.importers
from hodie.importers import READERS


def _imports_django(module: str) -> subprocess.CompletedProcess[str]:
    code = f"import {module}, sys; assert 'django' not in sys.modules, 'django imported'"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


IMPORTER_MODULES = sorted(f"hodie.importers.{m.name}" for m in pkgutil.iter_modules(hodie.importers.__path__))


@pytest.mark.parametrize("module", ["hodie.dates", "hodie.importers", *IMPORTER_MODULES])
def test_does_not_import_django(module: str) -> None:
    result = _imports_django(module)
    assert result.returncode == 0, result.stderr


def test_every_reader_in_the_registry_is_checked() -> None:
    readers = {f"hodie.importers.{module}" for module, _ in READERS.values()}
    assert len(readers) == 7
    assert readers <= set(IMPORTER_MODULES)


def test_the_check_rejects_a_module_that_imports_django() -> None:
    result = _imports_django("django.utils.html")
    assert result.returncode != 0 and "django imported" in result.stderr

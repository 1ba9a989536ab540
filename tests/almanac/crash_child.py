"""The child of tests/almanac/test_import_crash.py: one import through the writer that says how far
it got. Usage, with HODIE_DATABASE_URL and HODIE_HOME set:

    python -m tests.almanac.crash_child FILE COLLECTION EVERY

prints ``read N`` (flushed) after every EVERY records the writer has taken, then ``committed`` once
the import's transaction is stored, so that the test kills it at moments it knows."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from hodie.almanac.models import Collection
    from hodie.importers import reader
    from hodie.writer import import_records

    path, slug, every = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    taken = 0

    def progress() -> None:
        nonlocal taken
        taken += 1
        if taken % every == 0:
            print(f"read {taken}", flush=True)

    import_records(reader("jsonl")(path), Collection.objects.get(slug=slug), progress=progress)
    print("committed", flush=True)


if __name__ == "__main__":
    main()

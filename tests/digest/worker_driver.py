"""Set-up and read-back for the kill test (tests/digest/test_kill.py), which runs `hodie worker`
against a database of its own. Usage, with HODIE_DATABASE_URL and HODIE_HOME set:

    python -m tests.digest.worker_driver setup N   (migrate, empty; the collection; N subscribers due now)
    python -m tests.digest.worker_driver report    (one JSON line: send records by status)"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from hodie.digest.models import Delivery

    from .data import add_subscribers, make_russia

    if sys.argv[1] == "setup":
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)  # PostgreSQL: the test database, emptied
        add_subscribers(make_russia(), int(sys.argv[2]), zone="UTC", hour=0)
        print(json.dumps({"ok": True}))
    else:
        counts = Delivery.objects.values("status").annotate(n=Count("pk")).order_by("status")
        print(json.dumps({row["status"]: row["n"] for row in counts}))


if __name__ == "__main__":
    main()

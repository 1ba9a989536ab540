"""WSGI entry point for the production server (``hodie serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
application = get_wsgi_application()

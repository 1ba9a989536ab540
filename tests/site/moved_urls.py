"""The site's URLs under /moved/: a URLconf for tests/site/test_addresses.py."""

from django.urls import include, path

urlpatterns = [path("moved/", include("hodie.site.urls"))]

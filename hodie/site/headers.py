"""A Content-Security-Policy on every public HTML page: everything from Hodie itself, no inline
script, nothing framing us. It is a second wall behind the escaping and the sanitising: a payload
that slipped through could not run. The admin keeps Django's own headers; a view that needs
another policy (the widget's iframe) sets its own and is left alone.

Images come from Hodie (imported posts' images are copied into its media folder), from the hosts
an editor allows (admin → Media → Allowed image hosts; an import adds the host of each image it
could not copy or was told to leave remote) and from the hosts of images waiting to be copied, so
that no image of a migrated post is blocked (hodie/media/hosts.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


def policy() -> str:
    """:data:`POLICY` with the allowed image hosts in its ``img-src``."""
    from hodie.media.hosts import img_src

    return POLICY.replace("img-src 'self' data:", img_src())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from hodie.media.hosts import pinned

        with pinned():  # the page's images and its img-src from one reading of the allowed hosts
            response = self.get_response(request)
            if (
                response.get("Content-Type", "").startswith("text/html")
                and not request.path.startswith("/admin/")
                and not response.has_header("Content-Security-Policy")
            ):
                response["Content-Security-Policy"] = policy()
        return response

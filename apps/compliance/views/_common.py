"""Helpers of the compliance pages."""
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _l

from apps.core.errors import DomainError
from apps.insurance.views.quotes import needs  # noqa: F401  (login + permissions, 403 otherwise)

SECTION = _l("Cumplimiento")


def run_command(request, call, done: str, url: str):
    """Runs one service call from a POST; its DomainError becomes a message; back to `url`."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(url)


def querystring(request, *drop: str) -> str:
    params = request.GET.copy()
    for key in ("page", "export", *drop):
        params.pop(key, None)
    return params.urlencode()

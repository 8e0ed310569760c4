"""Shared bits of the chart, periods and entries pages: permission checks and the confirm page."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _


def require(user, *perms: str) -> None:
    if not all(user.has_perm(perm) for perm in perms):
        raise PermissionDenied(_("Su rol no permite esta operación."))


def needs(*perms: str):
    """login_required plus every permission in `perms` (403 for a logged-in user without them)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require(request.user, *perms)
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def confirm_page(request, *, title, heading, message, button, cancel_url, breadcrumbs=(), danger=False, form=None,
                 icon="bi-question-circle", status=200):
    """A page asking to confirm one POST action (works without JavaScript)."""
    return render(request, "accounting/entries/confirm.html", {
        "title": title, "heading": heading, "message": message, "button": button, "cancel_url": cancel_url,
        "breadcrumbs": breadcrumbs, "danger": danger, "form": form, "icon": icon,
    }, status=status)

"""Helpers of the claims pages (a private module: area_modules skips names starting with «_»)."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.claims.selectors import claim_for_page, claims_for

SECTION = _l("Siniestros")
COUNT_CAP = 10_000


def needs(*perms: str):
    """login_required plus every permission (403 for a logged-in user without them)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not all(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied(_("Su rol no permite esta operación."))
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def claim_url(claim, anchor: str = "") -> str:
    return reverse("claims:claim-detail", args=[getattr(claim, "pk", claim)]) + (f"#{anchor}" if anchor else "")


def claim_or_404(request, pk, *, full: bool = False):
    """A claim the user may see (404 otherwise: a Comercial never learns another client's claim exists)."""
    claim = claim_for_page(request.user, pk) if full else (
        claims_for(request.user).select_related("policy", "policyholder", "insurer", "handler").filter(pk=pk).first())
    if claim is None:
        raise Http404(_("No existe el siniestro."))
    return claim


class CappedPaginator(Paginator):
    """Counts at most cap + 1 rows (a LIMIT inside the COUNT): on 100k claims the footer says «más de
    10.000» instead of counting them all."""

    def __init__(self, *args, cap: int = COUNT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        return self.object_list.order_by()[:self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

"""Dashboards per role: a role's dashboard is every metric that lists the role (Dirección: all), in
metric order. A person with several roles picks among their dashboards."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _l

from apps.analytics.metrics import METRICS, Metric

DIRECTION = "direccion"
DASHBOARDS = {
    "direccion": _l("Dirección"),
    "comercial": _l("Comercial"),
    "contabilidad": _l("Administración y Contabilidad"),
    "cobros": _l("Cobros"),
    "siniestros": _l("Siniestros"),
    "rrhh": _l("RRHH"),
}
VIEW_PERMISSION = "analytics.view_dashboard"


def user_roles(user) -> list[str]:
    """Role codes of `user` with a dashboard (superusers: Dirección). One query, cached on the user."""
    cached = getattr(user, "_analytics_roles", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        codes = []
    elif user.is_superuser:
        codes = [DIRECTION]
    else:
        from apps.identity.models import Role

        found = set(Role.objects.filter(group__user=user).values_list("code", flat=True))
        codes = [code for code in DASHBOARDS if code in found]
    user._analytics_roles = codes
    return codes


def dashboard_metrics(code: str) -> list[Metric]:
    return sorted((m for m in METRICS.values() if code == DIRECTION or code in m.roles), key=lambda m: (m.order, m.key))


def user_dashboards(user) -> list[tuple[str, str]]:
    if not user.has_perm(VIEW_PERMISSION):
        return []
    return [(code, DASHBOARDS[code]) for code in user_roles(user)]


def can_see(user, metric: Metric) -> bool:
    if not user.has_perm(VIEW_PERMISSION):
        return False
    roles = user_roles(user)
    return DIRECTION in roles or any(code in metric.roles for code in roles)


def visible_metrics(user) -> list[Metric]:
    return sorted((m for m in METRICS.values() if can_see(user, m)), key=lambda m: (m.order, m.key))

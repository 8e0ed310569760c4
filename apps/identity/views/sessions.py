"""«Mis sesiones»: where the user is signed in, with «Cerrar esta sesión» and «Cerrar sesión en todos los
dispositivos» (this one included)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.identity.services.sessions import idle_timeout, session_revoke, sessions_active, sessions_revoke_all

TITLE = _l("Mis sesiones")


@login_required
def sessions_view(request):
    rows = sessions_active(request.user)
    return render(request, "identity/sessions.html", {
        "title": TITLE, "sessions": rows, "current_key": request.session.session_key,
        "idle_minutes": int(idle_timeout().total_seconds() // 60)})


@login_required
@require_POST
def session_revoke_view(request):
    key = request.POST.get("session_key", "")
    current = key == request.session.session_key
    try:
        session_revoke(actor=request.user, user=request.user, session_key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("identity:sessions")
    if current:
        return redirect("identity:login")
    messages.success(request, _("Sesión cerrada."))
    return redirect("identity:sessions")


@login_required
@require_POST
def sessions_revoke_all_view(request):
    sessions_revoke_all(actor=request.user, user=request.user)
    request.session.flush()  # in case this session was not recorded (signed in before the sessions list existed)
    return redirect("identity:login")


MENU = [MenuEntry(section=_l("Mi espacio"), label=TITLE, url_name="identity:sessions", icon="bi-laptop", order=91)]

urlpatterns = [
    path("seguridad/sesiones/", sessions_view, name="sessions"),
    path("seguridad/sesiones/cerrar/", session_revoke_view, name="session-revoke"),
    path("seguridad/sesiones/cerrar-todas/", sessions_revoke_all_view, name="sessions-revoke-all"),
]

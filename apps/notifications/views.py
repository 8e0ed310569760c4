from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.views.list_pages import form_error
from apps.notifications.choices import NotificationKind
from apps.notifications.forms import FLAG_LABELS, NotificationPreferencesForm
from apps.notifications.models import Notification
from apps.notifications.services.notifications import notifications_mark_read
from apps.notifications.services.preferences import preferences_for, preferences_update


@login_required
def inbox(request):
    """The user's notifications; ?unread=1 only the unread ones, ?kind=<kind> one kind."""
    query = Notification.objects.in_app().filter(recipient=request.user)
    unread = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "")
    if unread:
        query = query.filter(read_at__isnull=True)
    if kind in NotificationKind.values:
        query = query.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(query.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "notifications/inbox.html", {
        "page": page, "title": _("Notificaciones"), "kinds": NotificationKind.choices, "kind": kind,
        "unread": unread, "filters": filters.urlencode(), "here": request.get_full_path()})


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_read(actor=request.user)
    return _back(request)


@login_required
@require_POST
def mark_one_read(request, pk: int):
    notifications_mark_read(actor=request.user, ids=[pk])  # another person's id matches nothing
    return _back(request)


@login_required
def preferences(request):
    """«Preferencias de notificación»: per kind, in the application / e-mail at once / daily digest."""
    form = NotificationPreferencesForm(request.POST or None, preferences=preferences_for(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            preferences_update(actor=request.user, data=form.preferences_data())
        except DomainError as exc:
            status = form_error(form, exc)
        else:
            messages.success(request, _("Preferencias de notificación guardadas."))
            return redirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {
        "form": form, "flags": list(FLAG_LABELS.values()), "title": _("Preferencias de notificación")}, status=status)

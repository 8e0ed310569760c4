"""CRM activities: create/edit on a party, lead or opportunity, complete with one click, "Mi día"."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.errors import DomainError
from apps.core.forms import add_service_errors
from apps.crm.forms.activities import ActivityForm
from apps.crm.models import Activity
from apps.crm.selectors_pipeline import activities_for, leads_for, my_day, opportunities_for, parties_for
from apps.crm.services.activities import TARGETS, activity_complete, activity_create, activity_update
from apps.crm.views.pipeline import get_visible, require, safe_next


def _target_from(request):
    """(field name, object) named by ?party= / ?lead= / ?opportunity=, visible to the user, or 404."""
    sources = {"party": parties_for, "lead": leads_for, "opportunity": opportunities_for}
    for name in TARGETS:
        value = request.GET.get(name, "")
        if value:
            if not value.isdigit():
                break
            return name, get_visible(sources[name](request.user), int(value))
    raise Http404(_("Indique a qué cliente, contacto comercial u oportunidad se refiere la actividad."))


def _target_of(activity):
    for name in ("opportunity", "lead", "party"):
        if getattr(activity, f"{name}_id"):
            return name, getattr(activity, name)
    return None, None


def target_url(name, obj) -> str:
    try:
        if name == "party":
            return reverse("ui:crm-party-detail", args=[obj.pk])
        if name == "lead":
            return reverse("crm:lead-update", args=[obj.pk])
        if name == "opportunity":
            return reverse("crm:opportunity-update", args=[obj.pk])
    except NoReverseMatch:
        pass
    return reverse("crm:my-day")


TARGET_LABELS = {"party": _("Cliente"), "lead": _("Contacto comercial"), "opportunity": _("Oportunidad")}


def _render_form(request, form, *, target_name, target, activity=None, status=200):
    return render(request, "crm/activities/form.html", {
        "title": _("Actividades"), "form": form, "object": activity, "target": target,
        "target_label": TARGET_LABELS[target_name], "target_url": target_url(target_name, target),
        "next": safe_next(request, ""), "my_day_url": reverse("crm:my-day"),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create_view(request):
    require(request.user, Activity, "add")
    target_name, target = _target_from(request)
    form = ActivityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {**form.business_data(), target_name: target}
        try:
            activity = activity_create(actor=request.user, data=data, done=form.cleaned_data.get("done", False))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Actividad «%(subject)s» guardada.") % {"subject": activity})
            return redirect(safe_next(request, target_url(target_name, target)))
    return _render_form(request, form, target_name=target_name, target=target, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def activity_update_view(request, pk):
    require(request.user, Activity, "change")
    activity = get_visible(activities_for(request.user).select_related("party", "lead", "opportunity"), pk)
    target_name, target = _target_of(activity)
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_update(actor=request.user, activity=activity, data=form.business_data(),
                                       expected_version=form.cleaned_data.get("version"))
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Actividad «%(subject)s» guardada.") % {"subject": activity})
            return redirect(safe_next(request, target_url(target_name, target)))
    return _render_form(request, form, target_name=target_name, target=target, activity=activity,
                        status=400 if form.errors else 200)


@login_required
@require_POST
def activity_complete_view(request, pk):
    """One click from "Mi día" (htmx swaps the row) or a plain form post (redirect back)."""
    require(request.user, Activity, "change")
    activity = get_visible(activities_for(request.user).select_related("party", "lead", "opportunity"), pk)
    activity = activity_complete(actor=request.user, activity=activity)
    if request.headers.get("HX-Request"):
        return render(request, "crm/activities/_row.html", {"activity": activity, "section": "done",
                                                             "can_change": True, "now": timezone.now()})
    messages.success(request, _("Actividad «%(subject)s» marcada como hecha.") % {"subject": activity})
    return redirect(safe_next(request, reverse("crm:my-day")))


@login_required
@require_GET
def my_day_view(request):
    require(request.user, Activity, "view")
    day = my_day(request.user)
    sections = [
        ("overdue", _("Vencidas"), "bi-exclamation-triangle", day.overdue,
         _("Nada vencido. ¡Al día!")),
        ("today", _("Hoy"), "bi-calendar-day", day.today, _("No tiene nada más previsto para hoy.")),
        ("upcoming", _("Próximos 7 días"), "bi-calendar-week", day.upcoming, _("Nada previsto para la próxima semana.")),
        ("done", _("Hechas hoy"), "bi-check2-circle", day.done_today, _("Todavía no ha completado ninguna hoy.")),
    ]
    return render(request, "crm/activities/my_day.html", {
        "title": _("Mi día"), "sections": sections, "now": timezone.now(),
        "can_change": request.user.has_perm("crm.change_activity"),
        "overdue_count": len(day.overdue), "today_count": len(day.today),
    })


urlpatterns = [
    path("mi-dia/", my_day_view, name="my-day"),
    path("actividades/nueva/", activity_create_view, name="activity-create"),
    path("actividades/<int:pk>/", activity_update_view, name="activity-update"),
    path("actividades/<int:pk>/hecha/", activity_complete_view, name="activity-complete"),
]

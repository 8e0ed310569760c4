from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from aitcore.registry import registry
from django.utils.translation import gettext as _


@login_required
def dashboard(request):
    widgets = []
    for widget in sorted(registry.widgets, key=lambda w: w.order):
        if widget.permission and not request.user.has_perm(widget.permission):
            continue
        widgets.append({"title": widget.title, "template": widget.template, **widget.context(request)})
    return render(request, "core/dashboard.html", {"widgets": widgets, "title": _("Panel")})

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.notifications.models import Notification
from apps.notifications.services.notifications import notifications_mark_read


@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "title": "Notificaciones"})


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_read(actor=request.user)
    return redirect("notifications:inbox")

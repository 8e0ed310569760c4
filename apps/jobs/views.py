from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.jobs.services.runs import job_start
from apps.jobs.tasks import audit_verify_job
from django.utils.translation import gettext as _


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
@require_POST
def start_audit_verify(request):
    job = job_start(actor=request.user, task=audit_verify_job, label=_("Verificar la cadena de auditoría"))
    return redirect("ui:jobs-jobrun-detail", pk=job.pk)

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


@login_required
@require_POST
def cancel(request, pk: int):
    """«Cancelar»: the owner of the job, or someone who may change jobs, stops it."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    from apps.core.errors import DomainError
    from apps.jobs.models import JobRun
    from apps.jobs.services.runs import job_cancel

    job = get_object_or_404(JobRun, pk=pk)
    if job.user_id != request.user.pk and not request.user.has_perm("jobs.change_jobrun"):
        raise PermissionDenied(_("Solo quien lanzó el proceso puede cancelarlo."))
    try:
        job_cancel(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Proceso cancelado."))
    target = str(request.POST.get("next", ""))
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("ui:jobs-jobrun-detail", pk=pk)

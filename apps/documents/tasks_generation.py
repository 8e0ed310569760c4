"""The mail merge as a background job (apps.jobs): thin, the work is in services.mail_merge.

Not acks_late: a redelivered merge would store every letter twice."""
from apps.jobs.tracking import tracked_task


@tracked_task("apps.documents.tasks.mail_merge")
def mail_merge_job(job, progress):
    from apps.crm.models import Segment
    from apps.documents.services.mail_merge import mail_merge

    params = job.params
    return mail_merge(actor=job.user, segment=Segment.objects.get(pk=params["segment_id"]),
                      subject=params["subject"], body_template=params["body_template"],
                      template_code=params.get("template_code", "letter"), send_email=params.get("send_email", True),
                      progress=progress)

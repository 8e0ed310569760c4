"""Campaign delivery (and large party imports): thin tasks, the work is in the services."""
from apps.jobs.tracking import tracked_task


# campaign_send skips recipients already processed, so a redelivered task is harmless.
@tracked_task("apps.crm.tasks.campaign_send", acks_late=True)
def campaign_send_job(job, progress):
    from apps.crm.models import Campaign
    from apps.crm.services.campaigns import campaign_send

    campaign = Campaign.objects.get(pk=job.params["campaign_id"])
    return campaign_send(actor=job.user, campaign=campaign, progress=progress)


# Applying is one transaction that refuses an already applied batch, so redelivery is harmless too.
# (Lives here because apps/crm/tasks/__init__.py only imports campaigns and reminders.)
@tracked_task("apps.crm.tasks.import_apply", acks_late=True)
def import_apply_job(job, progress):
    from apps.crm.models import ImportBatch
    from apps.crm.services.imports import import_apply

    batch = import_apply(actor=job.user, batch=ImportBatch.objects.get(pk=job.params["batch_id"]), progress=progress)
    return {"batch": batch.pk, "status": batch.status, "created_parties": batch.created_parties}

from django.contrib.contenttypes.models import ContentType

from apps.audit.models import AuditEvent


def history_for(obj, limit: int = 50):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return list(AuditEvent.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("-id")[:limit])

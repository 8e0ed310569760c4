from rest_framework import serializers

from apps.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "timestamp", "actor_id", "actor_label", "action", "verb", "object_type", "object_id",
                  "object_repr", "changes", "request_id", "ip", "user_agent", "prev_hash", "hash"]

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}" if obj.content_type_id else ""

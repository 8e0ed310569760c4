from rest_framework import serializers

from apps.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class NotificationChannelsSerializer(serializers.Serializer):
    in_app = serializers.BooleanField(help_text="Mostrar en la aplicación (campana y bandeja).")
    email_immediate = serializers.BooleanField(help_text="E-mail en el momento.")
    email_digest = serializers.BooleanField(help_text="Incluir en el resumen diario por e-mail.")


class NotificationPreferencesSerializer(serializers.Serializer):
    """{kind: {in_app, email_immediate, email_digest}} for every kind (PUT may send only some kinds/flags)."""

    mention = NotificationChannelsSerializer()
    assignment = NotificationChannelsSerializer()
    approval = NotificationChannelsSerializer()
    due_activity = NotificationChannelsSerializer()
    renewal = NotificationChannelsSerializer()
    receipt_return = NotificationChannelsSerializer()
    job_result = NotificationChannelsSerializer()
    other = NotificationChannelsSerializer()

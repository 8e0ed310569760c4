from rest_framework import serializers

from apps.jobs.models import JobRun


class JobRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobRun
        fields = ["id", "label", "task_name", "user", "status", "progress", "message", "params", "result", "error",
                  "created_at", "started_at", "finished_at"]

from apps.compliance.models.activities import ProcessingActivity
from apps.compliance.models.complaints import Complaint
from apps.compliance.models.requests import DataSubjectRequest
from apps.compliance.models.retention import LegalHold, RetentionRule, RetentionRun
from apps.compliance.models.settings import ComplianceSettings

__all__ = ["ComplianceSettings", "Complaint", "DataSubjectRequest", "LegalHold", "ProcessingActivity",
           "RetentionRule", "RetentionRun"]

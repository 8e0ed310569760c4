from apps.core.errors import DomainError


class AnalyticsError(DomainError):
    code = "analytics_error"

"""Identity pages: login (password + second step), MFA enrolment, «Mis sesiones», lockouts, MFA policy."""
from apps.identity.views.language import language_switch

__all__ = ["language_switch"]

"""Who may call the HR API: any logged-in user (or API key with the scope) reads, and the queryset limits
what they see to apps.hr.access.visible_employees (404 outside it); only HR staff write."""
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.hr.access import is_hr_staff
from apps.identity.models import ApiKey


class HRRecordPermission(BasePermission):
    message = _("Solo RRHH puede cambiar estos datos.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiKey):
            needed = "read" if request.method in SAFE_METHODS else "write"
            if needed not in request.auth.scopes:
                self.message = _("La clave de API no tiene el ámbito «%s».") % needed
                return False
        return request.method in SAFE_METHODS or is_hr_staff(request.user)

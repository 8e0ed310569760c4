from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions

from apps.identity.models import ApiKey


class ModulePermission(DjangoModelPermissions):
    """Model permissions from the user's roles (view_* for reads too), plus API-key scopes."""

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if isinstance(request.auth, ApiKey):
            needed = "read" if request.method in SAFE_METHODS else "write"
            if needed not in request.auth.scopes:
                self.message = f"La clave de API no tiene el ámbito «{needed}»."
                return False
        return super().has_permission(request, view)


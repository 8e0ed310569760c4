"""Module permissions (Django model perms granted through roles) and own-record checks."""
from django.core.exceptions import PermissionDenied


def perm_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def require_perm(user, model, action: str) -> None:
    if not user.has_perm(perm_name(model, action)):
        raise PermissionDenied(f"No tiene permiso para {action} {model._meta.verbose_name_plural}.")


def visible_to(queryset, user, owner_field: str | None):
    """Rows this user may see. With `owner_field`, roles marked own-only see only their rows."""
    if not owner_field or user.is_superuser:
        return queryset
    from apps.identity.services.roles import user_own_only_modules

    if queryset.model._meta.app_label in user_own_only_modules(user):
        return queryset.filter(**{owner_field: user})
    return queryset

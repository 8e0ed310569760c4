from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from apps.identity.models import Role
from apps.identity.roles import ALL, EXPLICIT_PERMISSIONS, PERSONAL_MODULES, ROLE_SPECS, SETTINGS_PERMISSIONS


def _permissions_for(modules: dict[str, str]):
    installed = {config.label for config in django_apps.get_app_configs()}
    wanted = {**PERSONAL_MODULES, **modules}
    if ALL in wanted:
        level = wanted.pop(ALL)
        wanted = {label: level for label in installed if label not in ("tenancy", "django_tenants")} | wanted
    perms = Permission.objects.none()
    for label, level in wanted.items():
        query = Permission.objects.filter(content_type__app_label=label)
        if level == "view":
            query = query.filter(codename__startswith="view_")
        elif level == "use":
            query = query.exclude(codename__in=SETTINGS_PERMISSIONS.get(label, ()))
        perms = perms | query.exclude(codename__in=[p.split(".")[1] for p in EXPLICIT_PERMISSIONS
                                                    if p.split(".")[0] == label])
    return perms


def _explicit_permissions(code: str):
    wanted = [p.split(".") for p, roles in EXPLICIT_PERMISSIONS.items() if code in roles]
    query = Permission.objects.none()
    for label, codename in wanted:
        query = query | Permission.objects.filter(content_type__app_label=label, codename=codename)
    return query


@transaction.atomic
def roles_sync() -> list[Role]:
    """Creates or refreshes the standard roles in the current schema."""
    roles = []
    for spec in ROLE_SPECS:
        group, _ = Group.objects.get_or_create(name=spec.name)
        group.permissions.set(_permissions_for(spec.modules) | _explicit_permissions(spec.code))
        role, _ = Role.objects.update_or_create(
            code=spec.code, defaults={"group": group, "modules": spec.modules, "own_only": list(spec.own_only)}
        )
        roles.append(role)
    return roles


def user_own_only_modules(user) -> set[str]:
    """Modules where this user sees only own records: own-only in every role that grants the module."""
    if user.is_superuser:
        return set()
    roles = list(Role.objects.filter(group__user=user))
    restricted = set(PERSONAL_MODULES)
    for role in roles:
        restricted.update(role.own_only)
    for role in roles:
        granted = set(role.modules) - set(role.own_only)
        if ALL in role.modules:
            return set()
        restricted -= granted
    return restricted

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.services.records import record_create
from apps.identity.models import User
from apps.identity.roles import ROLE_SPECS
from django.utils.translation import gettext as _


@transaction.atomic
def user_create(*, actor, email: str, password: str, first_name: str, last_name: str = "",
                role_codes: list[str] = (), is_staff: bool = False, is_superuser: bool = False) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Ya existe un usuario con el correo %s.") % email})
    probe = User(email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user=probe)
    user = record_create(
        actor=actor, model=User,
        data={"email": email, "first_name": first_name, "last_name": last_name,
              "is_staff": is_staff, "is_superuser": is_superuser, "password": "!"},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    if role_codes:
        user_set_roles(actor=actor, user=user, role_codes=role_codes)
    return user


@transaction.atomic
def user_set_roles(*, actor, user: User, role_codes: list[str]) -> User:
    names = [spec.name for spec in ROLE_SPECS if spec.code in set(role_codes)]
    unknown = set(role_codes) - {spec.code for spec in ROLE_SPECS}
    if unknown:
        raise ValidationError({"roles": _("Roles desconocidos: %s") % ", ".join(sorted(unknown))})
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set(Group.objects.filter(name__in=names))
    after = sorted(names)
    if before != after:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes={"roles": [before, after]})
    return user

"""Generic create/update/delete for plain records: validated, versioned and audited.

Domain services use these for the CRUD part of their work and add their own rules.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record, diff_instances, snapshot
from apps.core.errors import StaleObjectError
from apps.core.events import publish


def _event_name(instance, verb):
    meta = instance._meta
    return f"{meta.app_label}.{meta.model_name}.{verb}"


def _assign(instance, data: dict):
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            continue
        setattr(instance, name, value)


def _assign_m2m(instance, data: dict) -> dict:
    changes = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            manager = getattr(instance, name)
            # Names, not ids: the history must stay readable after the related rows change.
            before = sorted(str(item) for item in manager.all())
            manager.set(value)
            after = sorted(str(item) for item in manager.all())
            if before != after:
                changes[name] = [before, after]
    return changes


@transaction.atomic
def record_create(*, actor, model, data: dict):
    instance = model()
    _assign(instance, data)
    if hasattr(instance, "created_by_id"):
        instance.created_by = actor if getattr(actor, "pk", None) else None
        instance.updated_by = instance.created_by
    instance.full_clean()
    instance.save(force_insert=True)
    changes = {name: [None, value] for name, value in snapshot(instance, getattr(model, "AUDIT_EXCLUDE", ())).items()}
    changes.update(_assign_m2m(instance, data))
    audit_event_record(actor=actor, action=AuditAction.CREATE, obj=instance, changes=changes)
    publish(_event_name(instance, "created"), pk=instance.pk)
    return instance


@transaction.atomic
def record_update(*, actor, instance, data: dict, expected_version: int | None = None):
    """Applies `data`; refuses when the record changed since the editor loaded `expected_version`."""
    model = instance._meta.model
    exclude = getattr(model, "AUDIT_EXCLUDE", ())
    versioned = hasattr(instance, "version")
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if versioned and expected_version is not None and current.version != int(expected_version):
        who = getattr(current, "updated_by", None) or _("otro usuario")
        raise StaleObjectError(
            _(
                "Este registro lo modificó %(who)s el %(when)s mientras usted lo editaba (versión %(current)s, "
                "usted editaba la %(yours)s). Recargue la página para ver los cambios y vuelva a aplicar los suyos."
            )
            % {
                "who": who,
                "when": current.updated_at.strftime("%d/%m/%Y %H:%M") if hasattr(current, "updated_at") else "",
                "current": current.version,
                "yours": expected_version,
            },
            field="version",
        )
    before = snapshot(current, exclude)
    _assign(current, data)
    if versioned:
        current.version += 1
    if hasattr(current, "updated_by_id"):
        current.updated_by = actor if getattr(actor, "pk", None) else None
    current.full_clean()
    current.save()
    changes = diff_instances(before, snapshot(current, exclude))
    changes.update(_assign_m2m(current, data))
    if changes:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=current, changes=changes)
        publish(_event_name(current, "updated"), pk=current.pk, fields=sorted(changes))
    return current


@transaction.atomic
def record_delete(*, actor, instance, expected_version: int | None = None):
    if hasattr(instance, "version") and expected_version is not None:
        current = instance._meta.model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != int(expected_version):
            raise StaleObjectError(_("El registro cambió mientras usted lo miraba; recargue antes de borrarlo."))
    pk = instance.pk
    before = snapshot(instance, getattr(instance._meta.model, "AUDIT_EXCLUDE", ()))
    audit_event_record(
        actor=actor, action=AuditAction.DELETE, obj=instance, changes={k: [v, None] for k, v in before.items()}
    )
    instance.delete()
    publish(_event_name(instance, "deleted"), pk=pk)


def validation_messages(exc: ValidationError) -> dict:
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}

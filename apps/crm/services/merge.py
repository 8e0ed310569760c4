"""Merging a duplicate party into the one that survives.

Every row of any domain that points at the duplicate is moved to the survivor, found
generically: all foreign keys and one-to-ones to Party (hidden ones and many-to-many
through tables included) and generic foreign keys. A domain added later (policies,
receipts, claims) is covered without touching this module.

When a moved row would break a unique constraint (the survivor already has that IBAN, that
relation, an active consent for that purpose, that tag) the survivor's row is kept, it takes
the duplicate row's dependants and its empty fields, and the duplicate row is dropped; a row
that would break a check constraint (a relation of the survivor with itself) is dropped.
Everything dropped is written, whole, in the audit event. If deleting the duplicate would
still take any other row with it, the merge is refused and nothing changes.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CheckConstraint, Q, UniqueConstraint
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record, snapshot
from apps.core.errors import DomainError
from apps.core.events import publish
from apps.crm.choices import RELATION_INVERSE, PartyStatus, RelationKind
from apps.crm.models import Address, BankAccount, ContactPoint, Party, PartyRelation
from apps.crm.services.parties import compute_display_name

# Party fields the merge never copies from the duplicate.
_NOT_FILLED = {"id", "created_at", "updated_at", "created_by", "updated_by", "version", "display_name", "kind",
               "anonymised_at", "notes", "status"}
# Bookkeeping of any record: never copied from a dropped row into the row kept.
_BOOKKEEPING = {"created_at", "updated_at", "created_by", "updated_by", "version"}
_STATUS_RANK = {PartyStatus.PROSPECT: 0, PartyStatus.FORMER: 1, PartyStatus.CLIENT: 2}
# Rows with a "primary" flag: one primary per party (per kind for contacts) after the merge.
_PRIMARY_SCOPES = ((Address, ()), (ContactPoint, ("kind",)), (BankAccount, ()))


class MergeError(DomainError):
    code = "party_merge"


@dataclass
class MergeResult:
    survivor: Party
    duplicate_pk: int
    duplicate_repr: str
    # readable table name -> rows moved to the survivor
    moved: dict[str, int] = field(default_factory=dict)
    # rows not moved because the survivor already had them (or they would relate it to itself)
    dropped: list[dict] = field(default_factory=list)
    # survivor field -> [before, after], filled from the duplicate
    filled: dict[str, list] = field(default_factory=dict)
    # survivor field -> [kept, duplicate's value not kept]
    conflicts: dict[str, list] = field(default_factory=dict)

    @property
    def moved_total(self) -> int:
        return sum(self.moved.values())


def _empty(value) -> bool:
    return value is None or value == ""


def _table_label(model) -> str:
    meta = model._meta
    if meta.auto_created:  # an auto-created many-to-many through table
        owner = meta.auto_created
        for m2m in owner._meta.many_to_many:
            if m2m.remote_field.through is model:
                if owner is Party:
                    return str(capfirst(m2m.verbose_name))
                return f"{capfirst(owner._meta.verbose_name_plural)} ({m2m.verbose_name})"
    return str(capfirst(meta.verbose_name_plural))


def _foreign_keys_to(model) -> dict:
    """{related model: [its FK / one-to-one fields pointing at `model`]}, hidden relations included."""
    links = defaultdict(list)
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one):
            links[rel.related_model].append(rel.field)
    return links


def _generic_keys_to(model) -> list:
    """(model, content type field name, object id field name) of every GenericForeignKey."""
    found = []
    for candidate in apps.get_models():
        for private in candidate._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                found.append((candidate, private.ct_field, private.fk_field))
    return found


def _unique_sets(model) -> list[tuple[tuple[str, ...], Q | None]]:
    meta = model._meta
    sets = [((f.name,), None) for f in meta.concrete_fields if f.unique and not f.primary_key]
    sets += [(tuple(names), None) for names in meta.unique_together]
    sets += [(tuple(c.fields), c.condition) for c in meta.constraints if isinstance(c, UniqueConstraint) and c.fields]
    return sets


def _needs_row_checks(model, fields) -> bool:
    names = {f.name for f in fields}
    meta = model._meta
    return (any(names & set(s) for s, _cond in _unique_sets(model))
            or any(isinstance(c, CheckConstraint) or (isinstance(c, UniqueConstraint) and c.expressions)
                   for c in meta.constraints))


def _keeper_for(model, row, moved_names) -> tuple[object | None, str]:
    """The row already holding the values `row` is about to take, or a reason it cannot be moved."""
    base = model._base_manager
    for names, condition in _unique_sets(model):
        if not set(names) & moved_names:
            continue
        lookup = {}
        for name in names:
            f = model._meta.get_field(name)
            lookup[f.attname] = getattr(row, f.attname)
        if any(v is None for v in lookup.values()):
            continue
        if condition is not None and not base.filter(pk=row.pk).filter(condition).exists():
            continue
        others = base.filter(**lookup).exclude(pk=row.pk)
        if condition is not None:
            others = others.filter(condition)
        keeper = others.order_by("pk").first()
        if keeper is not None:
            return keeper, _("ya existía en el cliente que se conserva")
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            try:
                constraint.validate(model, row)
            except ValidationError:
                return None, _("relacionaría al cliente consigo mismo") if model is PartyRelation else \
                    _("incumpliría una regla del registro (%(name)s)") % {"name": constraint.name}
    return None, ""


def _fill_empty(keeper, goner) -> dict:
    """Copies the goner's values into the keeper's empty fields (not keys, not bookkeeping)."""
    filled = {}
    for f in keeper._meta.concrete_fields:
        if f.primary_key or f.name in _BOOKKEEPING or not f.editable:
            continue
        mine, theirs = getattr(keeper, f.attname), getattr(goner, f.attname)
        if _empty(mine) and not _empty(theirs):
            setattr(keeper, f.attname, theirs)
            filled[f.attname] = [mine, theirs]
    if filled:
        keeper._meta.model._base_manager.filter(pk=keeper.pk).update(**{k: v[1] for k, v in filled.items()})
    return filled


class _Mover:
    """Moves every row pointing at `goner` to `keeper`, recursively for rows that collide."""

    def __init__(self, result: MergeResult, survivor: Party):
        self.result = result
        # The survivor's own rows before the merge (they win ties: primary flags, relations).
        self.original = {PartyRelation: set(PartyRelation.objects.filter(
            Q(from_party=survivor) | Q(to_party=survivor)).values_list("pk", flat=True))}
        for model, _scope in _PRIMARY_SCOPES:
            self.original[model] = set(model.objects.filter(party=survivor).values_list("pk", flat=True))

    def count(self, model, n: int):
        if n:
            label = _table_label(model)
            self.result.moved[label] = self.result.moved.get(label, 0) + n
            if not self.result.moved[label]:
                del self.result.moved[label]

    def absorb(self, model, keeper, goner, *, skip=()):
        for related, fields in _foreign_keys_to(model).items():
            if related in skip:
                continue
            self._move_model(related, fields, keeper, goner)
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for related, ct_field, fk_field in _generic_keys_to(model):
            ct_attname = related._meta.get_field(ct_field).attname
            n = related._base_manager.filter(**{ct_attname: ct.pk, fk_field: goner.pk}).update(**{fk_field: keeper.pk})
            self.count(related, n)

    def _move_model(self, related, fields, keeper, goner):
        base = related._base_manager
        where = Q()
        for f in fields:
            where |= Q(**{f.attname: goner.pk})
        if not _needs_row_checks(related, fields):
            total = 0
            for f in fields:
                total += base.filter(**{f.attname: goner.pk}).update(**{f.attname: keeper.pk})
            self.count(related, total)
            return
        for row in base.filter(where).order_by("pk"):
            moved = {f.name for f in fields if getattr(row, f.attname) == goner.pk}
            for f in fields:
                if f.name in moved:
                    setattr(row, f.attname, keeper.pk)
            keeper_row, reason = _keeper_for(related, row, moved)
            if keeper_row is None and not reason:
                base.filter(pk=row.pk).update(**{related._meta.get_field(n).attname: keeper.pk for n in moved})
                self.count(related, 1)
                continue
            self.drop(related, row, keeper_row, reason)

    def drop(self, model, row, keeper_row, reason, *, already_moved=False):
        """Deletes `row` (its values as they would be after the move), after its dependants and its
        values missing in `keeper_row` went to the keeper; `already_moved` rows leave the moved count."""
        original = model._base_manager.get(pk=row.pk)
        if already_moved:
            self.count(model, -1)
        if model._meta.auto_created:
            # A many-to-many link the keeper already has (a tag): the union needs nothing else.
            model._base_manager.filter(pk=original.pk).delete()
            return
        entry = {"tabla": str(_table_label(model)), "registro": str(original), "id": original.pk,
                 "motivo": str(reason), "datos": snapshot(original)}
        if keeper_row is not None:
            entry["conservado"] = keeper_row.pk
            self.absorb(model, keeper_row, original)
            filled = _fill_empty(keeper_row, row)
            if filled:
                entry["completado"] = filled
        deleted, per_model = model._base_manager.filter(pk=original.pk).delete()
        if set(per_model) - {model._meta.label}:
            raise MergeError(_("No se puede fusionar: al descartar «%(row)s» se borrarían también %(others)s.")
                             % {"row": original, "others": ", ".join(sorted(set(per_model) - {model._meta.label}))})
        self.result.dropped.append(entry)


def _dedupe_relations(mover: "_Mover", survivor: Party) -> None:
    """The same fact stored both ways round after the move (A spouse of B and B spouse of A): keep one,
    the survivor's own when there is one."""
    seen = {}
    own = mover.original[PartyRelation]
    for relation in PartyRelation.objects.filter(Q(from_party=survivor) | Q(to_party=survivor)).order_by("pk"):
        kind = RelationKind(relation.kind)
        inverse = RELATION_INVERSE.get(kind)
        key = (frozenset({(relation.from_party_id, relation.to_party_id, kind),
                          (relation.to_party_id, relation.from_party_id, inverse)}) if inverse
               else (relation.from_party_id, relation.to_party_id, kind))
        match = seen.get(key)
        if match is None:
            seen[key] = relation
        elif relation.pk in own and match.pk not in own:
            seen[key] = relation
            mover.drop(PartyRelation, match, relation, _("ya existía en el cliente que se conserva"),
                       already_moved=True)
        else:
            mover.drop(PartyRelation, relation, match, _("ya existía en el cliente que se conserva"),
                       already_moved=relation.pk not in own)


def _dedupe_contacts(mover: "_Mover", survivor: Party) -> None:
    """The same phone or e-mail on both parties: one row is enough (the survivor's)."""
    seen = {}
    own = mover.original[ContactPoint]
    rows = sorted(ContactPoint.objects.filter(party=survivor), key=lambda r: (r.pk not in own, r.pk))
    for row in rows:
        key = (row.kind, row.normalized or row.value)
        if key in seen:
            mover.drop(ContactPoint, row, seen[key], _("ya existía en el cliente que se conserva"),
                       already_moved=row.pk not in own)
        else:
            seen[key] = row


def _fix_primaries(mover: "_Mover", survivor: Party) -> None:
    """One primary address, bank account and phone/e-mail (per kind): the survivor's own when it had one."""
    for model, scope in _PRIMARY_SCOPES:
        groups = defaultdict(list)
        for row in model.objects.filter(party=survivor, is_primary=True).order_by("pk"):
            groups[tuple(getattr(row, f) for f in scope)].append(row)
        for rows in groups.values():
            if len(rows) > 1:
                own = [r for r in rows if r.pk in mover.original[model]]
                keep = (own or rows)[0]
                model.objects.filter(pk__in=[r.pk for r in rows if r.pk != keep.pk]).update(is_primary=False)


def _check(survivor: Party, duplicate: Party) -> None:
    if survivor.pk == duplicate.pk:
        raise MergeError(_("No se puede fusionar un cliente consigo mismo: elija otro cliente."))
    if survivor.kind != duplicate.kind:
        raise MergeError(_("No se puede fusionar una persona física con una persona jurídica: si uno de los dos está mal "
                           "dado de alta, corrija primero su tipo."))
    if survivor.anonymised_at or duplicate.anonymised_at:
        raise MergeError(_("No se puede fusionar un cliente anonimizado."))


def _merge(*, survivor: Party, duplicate: Party) -> tuple[MergeResult, Party, Party, dict]:
    if survivor.pk == duplicate.pk:
        _check(survivor, duplicate)
    locked = {p.pk: p for p in Party.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk]).order_by("pk")}
    if len(locked) != 2:
        raise MergeError(_("Uno de los dos clientes ya no existe (quizá se fusionó o borró): recargue la página."))
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    _check(survivor, duplicate)
    before = snapshot(duplicate)
    result = MergeResult(survivor=survivor, duplicate_pk=duplicate.pk, duplicate_repr=str(duplicate))
    mover = _Mover(result, survivor)
    tags_before = sorted(str(t) for t in survivor.tags.all())
    mover.absorb(Party, survivor, duplicate)
    _dedupe_relations(mover, survivor)
    _dedupe_contacts(mover, survivor)
    _fix_primaries(mover, survivor)

    # The survivor's empty fields are filled from the duplicate; where both differ, the survivor's stays.
    survivor_before = snapshot(survivor, Party.AUDIT_EXCLUDE)
    for f in Party._meta.concrete_fields:
        if f.primary_key or f.name in _NOT_FILLED:
            continue
        mine, theirs = getattr(survivor, f.attname), getattr(duplicate, f.attname)
        if _empty(mine) and not _empty(theirs):
            setattr(survivor, f.attname, theirs)
        elif not _empty(theirs) and mine != theirs:
            result.conflicts[f.name] = [_shown(survivor, f), _shown(duplicate, f)]
    if _STATUS_RANK.get(duplicate.status, 0) > _STATUS_RANK.get(survivor.status, 0):
        survivor.status = duplicate.status
    if duplicate.notes and duplicate.notes not in survivor.notes:
        header = _("Notas de «%(name)s» (fusionado):") % {"name": duplicate}
        survivor.notes = f"{survivor.notes}\n\n{header}\n{duplicate.notes}".strip()
    if survivor.tax_id and result.conflicts.get("tax_id"):
        line = _("Otro NIF/NIE/CIF que constaba en «%(name)s»: %(value)s.") % {"name": duplicate, "value": duplicate.tax_id}
        survivor.notes = f"{survivor.notes}\n\n{line}".strip()
    survivor.display_name = compute_display_name({f: getattr(survivor, f) for f in (
        "kind", "first_name", "last_name", "second_last_name", "company_name", "trade_name")}) or survivor.display_name
    return result, survivor, duplicate, {"duplicate": before, "survivor": survivor_before, "tags": tags_before}


def _shown(obj, f):
    """A field's value as people read it (names, not ids; labels, not codes)."""
    if f.is_relation:
        return str(getattr(obj, f.name))
    value = getattr(obj, f.attname)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value


def _finish(*, actor, result: MergeResult, survivor: Party, duplicate: Party, before: dict) -> None:
    """Deletes the duplicate (refusing if anything else would go with it) and saves the survivor."""
    duplicate_pk = duplicate.pk
    deleted, per_model = Party.objects.filter(pk=duplicate_pk).delete()
    through = {m2m.remote_field.through._meta.label for m2m in Party._meta.many_to_many}
    extra = {label: n for label, n in per_model.items() if label != Party._meta.label and label not in through and n}
    if extra:
        raise MergeError(_("No se puede fusionar: al borrar el duplicado se borrarían también registros que no se "
                           "pudieron mover (%(tables)s).") % {"tables": ", ".join(sorted(extra))})
    survivor.version += 1
    if actor is not None and getattr(actor, "pk", None):
        survivor.updated_by = actor
    try:
        survivor.full_clean(exclude=[f.name for f in Party._meta.fields if f.name not in ("tax_id", "display_name")])
    except ValidationError as exc:
        raise MergeError(_("No se puede fusionar: %(error)s") % {"error": " ".join(exc.messages)}) from None
    survivor.save()
    after = snapshot(survivor, Party.AUDIT_EXCLUDE)
    result.filled = {name: [before["survivor"].get(name), value] for name, value in after.items()
                     if before["survivor"].get(name) != value}
    tags_after = sorted(str(t) for t in survivor.tags.all())
    if tags_after != before["tags"]:
        result.filled["tags"] = [before["tags"], tags_after]


@transaction.atomic
def merge_preview(*, survivor: Party, duplicate: Party) -> MergeResult:
    """What party_merge would do, computed by doing it and rolling back (nothing is kept or audited)."""
    with transaction.atomic():
        result, survivor_row, duplicate_row, before = _merge(survivor=survivor, duplicate=duplicate)
        _finish(actor=None, result=result, survivor=survivor_row, duplicate=duplicate_row, before=before)
        transaction.set_rollback(True)
    result.survivor = survivor
    return result


@transaction.atomic
def party_merge(*, actor, survivor: Party, duplicate: Party) -> MergeResult:
    """Moves everything of `duplicate` to `survivor`, fills the survivor's gaps, audits both, deletes the duplicate."""
    result, survivor, duplicate, before = _merge(survivor=survivor, duplicate=duplicate)
    duplicate_pk, duplicate_repr = duplicate.pk, str(duplicate)
    summary = {
        str(_("Registros movidos")): result.moved,
        str(_("Registros descartados")): "; ".join(f"{d['tabla']}: {d['registro']} ({d['motivo']})" for d in result.dropped),
    }
    dropped_data = {f"{d['tabla']} n.º {d['id']}": d for d in result.dropped}
    # Written before the delete, while the duplicate still has its id: its whole content stays in the log.
    audit_event_record(actor=actor, action=AuditAction.DELETE, obj=duplicate, verb="party_merge", changes={
        **{name: [value, None] for name, value in before["duplicate"].items()},
        str(_("Fusionado en")): f"{survivor} (n.º {survivor.pk})",
        **summary,
        str(_("Datos descartados")): dropped_data,
    })
    _finish(actor=actor, result=result, survivor=survivor, duplicate=duplicate, before=before)
    audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=survivor, verb="party_merge", changes={
        **result.filled,
        str(_("Fusionado con")): f"{duplicate_repr} (n.º {duplicate_pk})",
        **summary,
        str(_("Valores distintos no copiados")): {
            str(capfirst(Party._meta.get_field(name).verbose_name)): _("se conserva «%(kept)s», no se copia «%(other)s»")
            % {"kept": kept, "other": other} for name, (kept, other) in result.conflicts.items()},
        str(_("Datos descartados")): dropped_data,
    })
    publish("crm.party.updated", pk=survivor.pk, fields=sorted(result.filled))
    publish("crm.party.deleted", pk=duplicate_pk)
    publish("crm.party.merged", pk=survivor.pk, duplicate_pk=duplicate_pk, moved=result.moved)
    return result

"""GDPR erasure of many parties at once (the retention run over a whole brokerage): each party ends exactly as
apps.crm.services.gdpr.party_anonymise leaves it, but set-based, CHUNK parties per transaction (a few dozen
queries per chunk instead of ~30 per party). A chunk is all or nothing: an error rolls back that chunk only,
whose parties are then tried one by one through party_anonymise, so one bad record neither loses the chunks
already done nor leaves a half-anonymised party.

Who must be kept is decided by the same retention checks. A check may carry a set-based twin,
`check.bulk(ids) -> {party id: reason(s)}` (one query for the whole chunk); one without it is asked party
by party. Audit: one «gdpr_erasure» event per party, with the same content as the single erasure, written
by apps.audit.services.audit_events_record (one insert per chunk). After each commit the search index is
queued in bulk (the parties and the records that show their name) and one «crm.party.anonymised» event
names the parties related to the chunk's (their live pages list the relations that went)."""
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, Case, CharField, Count, F, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from aitcore.registry import registry
from apps.audit.choices import AuditAction
from apps.audit.services import audit_events_record
from apps.core.events import publish
from apps.crm.choices import OPEN_STAGES, PartyKind
from apps.crm.models import (
    Activity, Address, BankAccount, CampaignRecipient, Consent, ContactPoint, Lead, Opportunity, Party, PartyRelation,
)
from apps.crm.services.gdpr import _ERASED_FIELDS, open_opportunities_text, party_anonymise, reason_texts

logger = logging.getLogger(__name__)
CHUNK = 2000


@dataclass
class BulkErasure:
    done: list[int] = field(default_factory=list)
    kept: dict[int, tuple[str, list[str]]] = field(default_factory=dict)  # pk -> (name, reasons)
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)  # pk -> (name, error)
    skipped: int = 0  # already anonymised, gone, or out of `scope` when its chunk was locked


def _among(model, column: str, ids, *, either: str | None = None) -> RawSQL:
    """`column IN ids` written «= ANY(array)»: one parameter whatever the chunk's size (2,000 placeholders
    cost more to pass than the query to run). `either`: a second column, OR-ed."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = " OR ".join(f"{table}.{connection.ops.quote_name(name)} = ANY(%s::bigint[])"
                      for name in (column, either) if name)
    return RawSQL(sql, (list(ids),) * (2 if either else 1), output_field=BooleanField())


# --- who must be kept -----------------------------------------------------------------------------

def crm_retention_reasons_bulk(ids: list[int]) -> dict[int, list[str]]:
    """crm_retention_reasons for many parties: open opportunities, in one query."""
    titles = defaultdict(list)
    rows = Opportunity.objects.filter(_among(Opportunity, "party_id", ids), stage__in=OPEN_STAGES).order_by("pk")
    for party_id, title in rows.values_list("party_id", "title"):
        titles[party_id].append(title)
    return {pk: [open_opportunities_text(len(found), found[:4])] for pk, found in titles.items()}


def party_retention_reasons_bulk(ids: Iterable[int]) -> dict[int, list[str]]:
    """party_retention_reasons for many parties: {pk: reasons} of those that must be kept (same sentences,
    same order)."""
    ids = list(ids)
    reasons, parties = defaultdict(list), None
    for check in list(registry.retention_checks):
        bulk = getattr(check, "bulk", None)
        if bulk is not None:
            found = bulk(ids)
        else:
            if parties is None:
                parties = list(Party.objects.filter(pk__in=ids).order_by("pk"))
            found = {party.pk: check(party) for party in parties}
        for pk, result in found.items():
            reasons[pk].extend(reason_texts(result))
    for pk, texts in crm_retention_reasons_bulk(ids).items():
        reasons[pk].extend(texts)
    return {pk: texts for pk, texts in reasons.items() if texts}


# --- the erasure ------------------------------------------------------------------------------------

def _alias_template() -> tuple[str, str]:
    prefix, found, suffix = _("Anonimizado #%(pk)s").partition("%(pk)s")
    return (prefix, suffix) if found else (prefix, None)


def _alias(pk: int) -> str:
    return _("Anonimizado #%(pk)s") % {"pk": pk}


def _alias_sql(column: str):
    """The alias of party_anonymise computed by the database from the party id in `column`."""
    prefix, suffix = _alias_template()
    if suffix is None:
        return Value(prefix)
    return Concat(Value(prefix), Cast(column, output_field=CharField()), Value(suffix), output_field=CharField())


def _per_party(queryset: QuerySet, column: str = "party_id") -> dict[int, int]:
    rows = queryset.order_by().values(column).annotate(n=Count("pk")).values_list(column, "n")
    return dict(rows)


def _relations(ids: list[int]) -> tuple[QuerySet, dict[int, int], set[int]]:
    """The chunk's relations; each counted for the first of its parties anonymised (as party_anonymise one by
    one in id order would count it) and every party on either side (their 360° pages change)."""
    members = set(ids)
    relations = PartyRelation.objects.filter(_among(PartyRelation, "from_party_id", ids, either="to_party_id"))
    counts, touched = defaultdict(int), set()
    for from_id, to_id in relations.values_list("from_party_id", "to_party_id"):
        counts[min(pk for pk in (from_id, to_id) if pk in members)] += 1
        touched.update((from_id, to_id))
    return relations, counts, touched


def _erase_chunk(*, actor, rows: list[tuple], reason: str) -> set[int]:
    """Anonymises the parties of `rows` ((pk, kind, *_ERASED_FIELDS), locked by the caller); returns the
    parties whose page changed."""
    ids = [row[0] for row in rows]
    now, user = timezone.now(), actor if getattr(actor, "pk", None) else None
    alias = _alias_sql("pk")
    contacts = _per_party(ContactPoint.objects.filter(_among(ContactPoint, "party_id", ids)))
    addresses = _per_party(Address.objects.filter(_among(Address, "party_id", ids)))
    accounts = _per_party(BankAccount.objects.filter(_among(BankAccount, "party_id", ids)))
    relations, relation_counts, touched = _relations(ids)
    tagging = Party.tags.through.objects.filter(_among(Party.tags.through, "party_id", ids))
    tags = _per_party(tagging)
    open_consents = Consent.objects.filter(_among(Consent, "party_id", ids), withdrawn_at__isnull=True)
    withdrawn = _per_party(open_consents)
    recipients = CampaignRecipient.objects.filter(_among(CampaignRecipient, "party_id", ids)).exclude(email="")
    emails = _per_party(recipients)
    leads = Lead.objects.filter(_among(Lead, "converted_party_id", ids))
    lead_counts = _per_party(leads, "converted_party_id")
    activities = Activity.objects.filter(_among(Activity, "party_id", ids)).exclude(notes="")
    notes = _per_party(activities)

    Party.objects.filter(_among(Party, "id", ids)).update(
        first_name=Case(When(kind=PartyKind.PERSON, then=alias), default=Value("")),
        company_name=Case(When(kind=PartyKind.COMPANY, then=alias), default=Value("")),
        last_name="", second_last_name="", trade_name="", display_name=alias, tax_id=None, birth_date=None,
        gender="", profession="", notes="", anonymised_at=now, updated_at=now, version=F("version") + 1,
        updated_by=user)
    ContactPoint.objects.filter(_among(ContactPoint, "party_id", ids)).delete()
    Address.objects.filter(_among(Address, "party_id", ids)).delete()
    BankAccount.objects.filter(_among(BankAccount, "party_id", ids)).delete()
    relations.delete()
    tagging.delete()
    open_consents.update(withdrawn_at=now)
    Consent.objects.filter(_among(Consent, "party_id", ids)).update(evidence=_("[anonimizado]"))
    recipients.update(email="")
    leads.update(name=_alias_sql("converted_party_id"), company="", email="", phone="", notes="")
    activities.update(notes="")

    items = []
    for pk, _kind, *values in rows:
        deleted = {"contactos": contacts.get(pk, 0), "direcciones": addresses.get(pk, 0),
                   "cuentas_bancarias": accounts.get(pk, 0), "relaciones": relation_counts.get(pk, 0)}
        if tags.get(pk):
            deleted["etiquetas"] = tags[pk]
        items.append((Party(pk=pk, display_name=_alias(pk)), {
            "campos_anonimizados": [name for name, value in zip(_ERASED_FIELDS, values) if value not in (None, "")],
            "borrados": deleted,
            "consentimientos_retirados": withdrawn.get(pk, 0),
            "copias_borradas": {"correos_de_campañas": emails.get(pk, 0),
                                "contactos_comerciales": lead_counts.get(pk, 0),
                                "notas_de_actividades": notes.get(pk, 0)},
            "motivo": reason,
        }))
    audit_events_record(actor=actor, action=AuditAction.ACTION, items=items, verb="gdpr_erasure")  # last: short lock
    return touched | set(ids)


def _search_keys(ids: list[int]) -> set[tuple[str, int]]:
    """What an event «crm.party.anonymised» of each party would queue (apps.search.subscriptions), in bulk:
    the parties' entries and those of the records that show a party's name (policies, receipts, claims)."""
    from apps.search.sources import sources

    keys = set()
    for source in sources():
        if source.model is Party:
            keys.update((source.kind, pk) for pk in ids)
        for prefix, lookup in source.follows:
            if "crm.party.anonymised".startswith(f"{prefix}."):
                related = source.model._default_manager.filter(**{f"{lookup}__in": ids}).values_list("pk", flat=True)
                keys.update((source.kind, pk) for pk in related)
    return keys


def _after_commit(ids: list[int], touched: set[int]) -> None:
    def reindex():
        try:
            from apps.search.services.indexing import pending_add
            from apps.search.subscriptions import schedule_flush

            with transaction.atomic():
                pending_add(_search_keys(ids))
            schedule_flush()
        except Exception:  # the erasure is committed; a later reindex repairs the index
            logger.exception("Bulk erasure: search index not queued", extra={"parties": len(ids)})

    transaction.on_commit(reindex)
    # Live pages: those of the parties on the other side of a deleted relation. The anonymised parties'
    # own pages are not pushed one by one (thousands of idle pages; such a page shows the change on reload).
    publish("crm.party.anonymised", parties=sorted(touched - set(ids)), anonymised=len(ids))


def _one_by_one(*, actor, ids: list[int], reason: str, scope: QuerySet, result: BulkErasure) -> None:
    """The fallback of a failed chunk: party_anonymise per party, each in its own transaction."""
    for party in scope.filter(pk__in=ids, anonymised_at__isnull=True).order_by("pk"):
        try:
            party_anonymise(actor=actor, party=party, reason=reason)
            result.done.append(party.pk)
        except ValidationError as exc:
            result.kept[party.pk] = (str(party), exc.messages)
        except Exception as exc:  # noqa: BLE001 - one record must not stop the others
            result.errors[party.pk] = (str(party), f"{type(exc).__name__}: {exc}")


def parties_anonymise_bulk(*, actor, ids: Iterable[int], reason: str, scope: QuerySet | None = None,
                           chunk: int | None = None, progress: Callable[[int, int], None] | None = None) -> BulkErasure:
    """Anonymises the parties of `ids` (GDPR art. 17) as party_anonymise would, `chunk` per transaction.

    `scope` (default: every party) is re-applied when each chunk is locked, so a party that left it meanwhile
    (e.g. put under legal hold, or changed and no longer expired) is skipped. Parties a retention applies to
    are kept with their reasons. `progress(processed, total)` is called after each chunk.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo (p. ej. «Solicitud de supresión recibida por correo el "
                                           "12/03/2026»).")})
    ids, scope, chunk = sorted(set(ids)), scope if scope is not None else Party.objects.all(), chunk or CHUNK
    result = BulkErasure()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        try:
            with transaction.atomic():
                rows = list(scope.select_for_update().filter(_among(Party, "id", part), anonymised_at__isnull=True)
                            .order_by("pk").values_list("pk", "kind", *_ERASED_FIELDS))
                kept = party_retention_reasons_bulk([row[0] for row in rows])
                todo = [row for row in rows if row[0] not in kept]
                touched = _erase_chunk(actor=actor, rows=todo, reason=reason) if todo else set()
                if todo:
                    _after_commit([row[0] for row in todo], touched)
            names = {row[0]: row[_ERASED_FIELDS.index("display_name") + 2] for row in rows}
            result.kept.update({pk: (names[pk] or str(pk), texts) for pk, texts in kept.items()})
            result.done.extend(row[0] for row in todo)
            result.skipped += len(part) - len(rows)
        except Exception:  # noqa: BLE001 - the chunk rolled back whole; its parties go one by one
            logger.exception("Bulk erasure: chunk failed, retrying party by party", extra={"first": part[0]})
            before = len(result.done) + len(result.kept) + len(result.errors)
            _one_by_one(actor=actor, ids=part, reason=reason, scope=scope, result=result)
            result.skipped += len(part) - (len(result.done) + len(result.kept) + len(result.errors) - before)
        if progress:
            progress(min(start + chunk, len(ids)), len(ids))
    return result

"""Likely duplicates of a party being created or imported.

A party is a likely duplicate when it has the same tax id, or a similar name (trigram
similarity of at least SIMILARITY_THRESHOLD, accents ignored) together with the same birth
date or a shared phone or e-mail.

Query plan (100k parties): the candidates come from indexed equalities only — tax_id
(unique index), birth_date (crm_party_birth_idx) and ContactPoint.normalized (its index) —
and the name similarity is computed on those few rows. The GIN trigram index on the raw
display_name cannot serve this comparison: it is accent sensitive, and "María García López"
vs "Maria Garcia Lopez" scores 0.38 on the raw text but 1.0 once accents are folded.

`find_duplicates_many` applies the name rule to a whole import file at once: the file's rows
are joined (unnest) to the same indexed equalities, two queries whatever the number of rows.
"""
from collections.abc import Hashable, Iterable
from datetime import date
from typing import NamedTuple

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Func, Value
from django.utils.translation import gettext as _

from apps.core.validators import normalize_tax_id
from apps.crm.choices import ContactKind
from apps.crm.models import ContactPoint, Party
from apps.crm.services.parties import email_normalize, phone_normalize

SIMILARITY_THRESHOLD = 0.45

# Accent folding done the same way in SQL (translate) and in Python (str.translate).
_ACCENTED = "áàâäãÁÀÂÄÃéèêëÉÈÊËíìîïÍÌÎÏóòôöõÓÒÔÖÕúùûüÚÙÛÜñÑçÇ"
_PLAIN = "aaaaaAAAAAeeeeEEEEiiiiIIIIoooooOOOOOuuuuUUUUnNcC"
_FOLD = str.maketrans(_ACCENTED, _PLAIN)


def fold(text: str) -> str:
    return " ".join(str(text or "").translate(_FOLD).lower().split())


class Folded(Func):
    """translate(<expression>, accented, plain): the column as fold() would write it (before lower-casing,
    which pg_trgm does itself)."""

    function = "translate"
    arity = 3

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(_ACCENTED), Value(_PLAIN), **extra)


class Duplicate(NamedTuple):
    party: Party
    reasons: list[str]


def _contact_keys(phones, emails) -> dict[str, str]:
    """normalized value -> kind, for the phones and e-mails that normalise (the rest are ignored)."""
    keys = {}
    for kind, values, normalize in ((ContactKind.PHONE, phones, phone_normalize), (ContactKind.EMAIL, emails, email_normalize)):
        for value in values or ():
            if not str(value or "").strip():
                continue
            try:
                keys[normalize(value)] = kind
            except ValidationError:
                continue
    return keys


def _reason_birth(percent: int) -> str:
    return _("Nombre parecido (%(percent)s %%) y misma fecha de nacimiento") % {"percent": percent}


def _reason_contact(percent: int, kind: str, value: str) -> str:
    if kind == ContactKind.PHONE:
        return _("Nombre parecido (%(percent)s %%) y mismo teléfono (%(value)s)") % {"percent": percent, "value": value}
    return _("Nombre parecido (%(percent)s %%) y mismo correo (%(value)s)") % {"percent": percent, "value": value}


def find_duplicates(*, tax_id: str | None = None, display_name: str | None = None, birth_date: date | None = None,
                    phones=(), emails=(), exclude_pk=None, limit: int = 10) -> list[Duplicate]:
    """Likely duplicates, best first (same tax id first), each with the reasons in words."""
    found: dict[int, Duplicate] = {}
    base = Party.objects.filter(anonymised_at__isnull=True).select_related("account_manager")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    tax_id = normalize_tax_id(str(tax_id or "")).upper()
    if tax_id:
        for party in base.filter(tax_id=tax_id)[:1]:
            found[party.pk] = Duplicate(party, [_("Mismo NIF/NIE/CIF (%(value)s)") % {"value": tax_id}])
    name = fold(display_name)
    keys = _contact_keys(phones, emails)
    if name and (birth_date or keys) and len(found) < limit:
        # Candidates first, each arm on its own index (an OR of both would not use them), then the names.
        arms = []
        if birth_date:
            arms.append(Party.objects.filter(birth_date=birth_date).order_by().values_list("pk", flat=True))
        if keys:
            arms.append(ContactPoint.objects.filter(normalized__in=list(keys)).order_by().values_list("party_id", flat=True))
        ids = set(arms[0].union(*arms[1:]) if len(arms) > 1 else arms[0]) - set(found)
        candidates = list(
            base.filter(pk__in=ids)
            .annotate(similarity=TrigramSimilarity(Folded(F("display_name")), Value(name)))
            .filter(similarity__gte=SIMILARITY_THRESHOLD)
            .order_by("-similarity", "pk")[: limit - len(found)]
        ) if ids else []
        shared = {}
        if keys and candidates:
            for party_id, kind, value in ContactPoint.objects.filter(
                    party_id__in=[p.pk for p in candidates], normalized__in=list(keys)).values_list("party_id", "kind", "value"):
                shared.setdefault(party_id, []).append((kind, value))
        for party in candidates:
            percent = round(party.similarity * 100)
            reasons = []
            if birth_date and party.birth_date == birth_date:
                reasons.append(_reason_birth(percent))
            for kind, value in shared.get(party.pk, ()):
                reasons.append(_reason_contact(percent, kind, value))
            found[party.pk] = Duplicate(party, reasons)
    return list(found.values())[:limit]


def find_duplicates_of(party: Party, *, limit: int = 10) -> list[Duplicate]:
    """Likely duplicates of a stored party (for its merge page)."""
    contacts = list(party.contacts.values_list("kind", "value"))
    return find_duplicates(
        tax_id=party.tax_id, display_name=party.display_name, birth_date=party.birth_date,
        phones=[v for k, v in contacts if k == ContactKind.PHONE], emails=[v for k, v in contacts if k == ContactKind.EMAIL],
        exclude_pk=party.pk, limit=limit,
    )


# --- many at once (imports) ------------------------------------------------------------------

class Probe(NamedTuple):
    """One would-be party to check: `key` is the caller's (e.g. the file line)."""

    key: Hashable
    display_name: str
    birth_date: date | None = None
    phones: tuple = ()
    emails: tuple = ()


def _similar_by_birth_date(names: list[tuple[int, str, date]]) -> list[tuple[int, int, float]]:
    """(probe index, party pk, similarity) for parties born the same day with a similar name: one query,
    the join on crm_party_birth_idx, the similarity computed on those rows only."""
    if not names:
        return []
    party = connection.ops.quote_name(Party._meta.db_table)
    sql = f"""
        SELECT r.i, p.id, similarity(translate(p.display_name, %s, %s), r.name) AS sim
        FROM unnest(%s::integer[], %s::text[], %s::date[]) AS r(i, name, birth_date)
        JOIN {party} p ON p.birth_date = r.birth_date
        WHERE p.anonymised_at IS NULL AND similarity(translate(p.display_name, %s, %s), r.name) >= %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [_ACCENTED, _PLAIN, [n[0] for n in names], [n[1] for n in names], [n[2] for n in names],
                             _ACCENTED, _PLAIN, SIMILARITY_THRESHOLD])
        return cursor.fetchall()


def _similar_by_contact(keys: list[tuple[int, str, str]]) -> list[tuple[int, int, float, str, str]]:
    """(probe index, party pk, similarity, kind, value) for parties sharing a phone or e-mail and with a
    similar name: one query, the join on ContactPoint.normalized's index."""
    if not keys:
        return []
    party = connection.ops.quote_name(Party._meta.db_table)
    contact = connection.ops.quote_name(ContactPoint._meta.db_table)
    sql = f"""
        SELECT r.i, p.id, similarity(translate(p.display_name, %s, %s), r.name) AS sim, c.kind, c.value
        FROM unnest(%s::integer[], %s::text[], %s::text[]) AS r(i, name, normalized)
        JOIN {contact} c ON c.normalized = r.normalized
        JOIN {party} p ON p.id = c.party_id
        WHERE p.anonymised_at IS NULL AND similarity(translate(p.display_name, %s, %s), r.name) >= %s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [_ACCENTED, _PLAIN, [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
                             _ACCENTED, _PLAIN, SIMILARITY_THRESHOLD])
        return cursor.fetchall()


def find_duplicates_many(probes: Iterable[Probe], *, limit: int = 3) -> dict[Hashable, list[Duplicate]]:
    """find_duplicates' name rule (similar name and the same birth date, phone or e-mail) for many
    would-be parties at once, in three queries whatever their number: {key: [Duplicate, best first]}
    for the probes that have any. Same tax ids are left to the caller (a unique index answers those)."""
    probes = list(probes)
    names, keys = [], []
    for index, probe in enumerate(probes):
        name = fold(probe.display_name)
        if not name:
            continue
        if probe.birth_date:
            names.append((index, name, probe.birth_date))
        for normalized in _contact_keys(probe.phones, probe.emails):
            keys.append((index, name, normalized))
    found: dict[int, dict[int, list]] = {}  # probe index -> party pk -> [similarity, reasons]

    def add(index, pk, similarity, reason):
        entry = found.setdefault(index, {}).setdefault(pk, [similarity, []])
        if reason not in entry[1]:
            entry[1].append(reason)

    for index, pk, similarity in _similar_by_birth_date(names):
        add(index, pk, similarity, _reason_birth(round(similarity * 100)))
    for index, pk, similarity, kind, value in _similar_by_contact(keys):
        add(index, pk, similarity, _reason_contact(round(similarity * 100), kind, value))
    if not found:
        return {}
    best = {index: sorted(by_party.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
            for index, by_party in found.items()}
    parties = Party.objects.select_related("account_manager").in_bulk({pk for items in best.values() for pk, _v in items})
    return {probes[index].key: [Duplicate(parties[pk], reasons) for pk, (_sim, reasons) in items if pk in parties]
            for index, items in best.items()}

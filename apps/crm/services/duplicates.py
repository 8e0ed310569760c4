"""Likely duplicates of a party being created or imported.

A party is a likely duplicate when it has the same tax id, or a similar name (trigram
similarity of at least SIMILARITY_THRESHOLD, accents ignored) together with the same birth
date or a shared phone or e-mail.

Query plan (100k parties): the candidates come from indexed equalities only — tax_id
(unique index), birth_date (crm_party_birth_idx) and ContactPoint.normalized (its index) —
and the name similarity is computed on those few rows. The GIN trigram index on the raw
display_name cannot serve this comparison: it is accent sensitive, and "María García López"
vs "Maria Garcia Lopez" scores 0.38 on the raw text but 1.0 once accents are folded.
"""
from datetime import date
from typing import NamedTuple

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
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
                reasons.append(_("Nombre parecido (%(percent)s %%) y misma fecha de nacimiento") % {"percent": percent})
            for kind, value in shared.get(party.pk, ()):
                if kind == ContactKind.PHONE:
                    reasons.append(_("Nombre parecido (%(percent)s %%) y mismo teléfono (%(value)s)") % {"percent": percent, "value": value})
                else:
                    reasons.append(_("Nombre parecido (%(percent)s %%) y mismo correo (%(value)s)") % {"percent": percent, "value": value})
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

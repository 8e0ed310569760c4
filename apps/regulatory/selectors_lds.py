"""Reads for the LDS compliance dashboard: the policies in scope (live ones by default) with one
flag per duty telling whether its evidence exists, the counts per duty and the evidence of one
policy for its page. Fixed number of queries: the flags are EXISTS subqueries."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q

from apps.insurance.choices import PolicyState
from apps.insurance.selectors_policies import policies_for
from apps.regulatory.choices import EVIDENCE_SHORT, EvidenceKind
from apps.regulatory.models import DistributionEvidence

LIVE_STATES = (PolicyState.IN_FORCE, PolicyState.SUSPENDED)
KINDS = list(EvidenceKind)


def flag(kind: str) -> str:
    return f"has_{kind}"


@dataclass
class ComplianceFilters:
    line: object = None
    insurer: object = None
    manager: object = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    missing: str = ""
    states: tuple = LIVE_STATES


def policies_with_flags(user, filters: ComplianceFilters | None = None):
    """Policies this user may see, in scope of `filters`, each annotated has_<kind> per duty."""
    filters = filters or ComplianceFilters()
    queryset = policies_for(user).filter(state__in=filters.states)
    if filters.line is not None:
        queryset = queryset.filter(line=filters.line)
    if filters.insurer is not None:
        queryset = queryset.filter(insurer=filters.insurer)
    if filters.manager is not None:
        queryset = queryset.filter(policyholder__account_manager=filters.manager)
    if filters.date_from:
        queryset = queryset.filter(start_date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(start_date__lte=filters.date_to)
    return queryset.annotate(**{flag(kind): Exists(DistributionEvidence.objects.filter(policy=OuterRef("pk"),
                                                                                          kind=kind))
                                for kind in KINDS})


def missing_any_q() -> Q:
    query = Q()
    for kind in KINDS:
        query |= Q(**{flag(kind): False})
    return query


def missing_policies(user, filters: ComplianceFilters | None = None):
    """Policies in scope missing any duty (or the one in filters.missing), for the list and exports."""
    filters = filters or ComplianceFilters()
    queryset = policies_with_flags(user, filters)
    queryset = queryset.filter(**{flag(filters.missing): False}) if filters.missing in EvidenceKind.values \
        else queryset.filter(missing_any_q())
    return (queryset.select_related("insurer", "line", "product", "policyholder", "policyholder__account_manager")
            .annotate(manager_email=F("policyholder__account_manager__email")).order_by("-start_date", "-pk"))


def compliance_counts(user, filters: ComplianceFilters | None = None) -> dict:
    """{"total", "compliant", "missing_any", "by_kind": [{kind, label, missing}]} in one query."""
    queryset = policies_with_flags(user, filters)
    aggregates = {"total": Count("pk"), "missing_any": Count("pk", filter=missing_any_q())}
    aggregates.update({f"missing_{kind}": Count("pk", filter=Q(**{flag(kind): False})) for kind in KINDS})
    row = queryset.order_by().aggregate(**aggregates)
    return {"total": row["total"], "missing_any": row["missing_any"], "compliant": row["total"] - row["missing_any"],
            "by_kind": [{"kind": kind.value, "label": EVIDENCE_SHORT[kind], "missing": row[f"missing_{kind}"]}
                        for kind in KINDS]}


def policy_evidence(policy) -> dict:
    """The latest evidence of each duty of a policy ({kind: row or None}) and all rows, newest first."""
    rows = list(DistributionEvidence.objects.filter(policy=policy)
                .select_related("recorded_by", "document").order_by("-delivered_at", "-pk"))
    latest = {}
    for row in rows:
        latest.setdefault(row.kind, row)
    return {"latest": [{"kind": kind.value, "label": kind.label, "short": EVIDENCE_SHORT[kind],
                        "row": latest.get(kind.value)} for kind in KINDS],
            "rows": rows, "missing": [kind.value for kind in KINDS if kind.value not in latest]}

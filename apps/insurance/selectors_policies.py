"""Reads for policies: who sees which, the list and the page in a fixed number of queries, and the
before/after comparison of two versions."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.core.permissions import visible_to
from apps.insurance.lines import get_line
from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion

POLICY_OWNER_FIELD = "policyholder__account_manager"


def coverages_snapshot(product) -> list[dict]:
    """The product's coverages as a version keeps them (JSON-safe; same shape as a quote option's)."""
    return [{"code": c.code, "name": c.name, "kind": c.kind,
             "limit": str(c.limit) if c.limit is not None else None, "limit_text": c.limit_text,
             "deductible": str(c.deductible) if c.deductible else "0"} for c in product.coverages.all()]


def policies_for(user):
    """Policies this user may see (a Comercial: its clients' policies only)."""
    return visible_to(Policy.objects.all(), user, POLICY_OWNER_FIELD)


def policy_list_queryset(user):
    return policies_for(user).select_related("insurer", "product__insurer", "line", "policyholder")


def policy_for_page(user, pk) -> Policy | None:
    """One policy with everything its page shows: 3 queries (policy, versions, state changes)."""
    versions = PolicyVersion.objects.select_related("created_by").order_by("number")
    changes = PolicyStateChange.objects.select_related("created_by").order_by("created_at", "pk")
    return (policies_for(user)
            .select_related("insurer", "product", "line", "policyholder", "current_version", "quote", "renewal_of",
                            "renewed_by", "created_by")
            .prefetch_related(Prefetch("versions", queryset=versions),
                              Prefetch("state_changes", queryset=changes))
            .filter(pk=pk).first())


def policies_of_party(party, user=None):
    """A client's policies (the client's 360 page), newest first."""
    queryset = policies_for(user) if user is not None else Policy.objects.all()
    return queryset.filter(policyholder=party).select_related("insurer", "product", "line").order_by(
        "-start_date", "-pk")


# --- Comparing two versions -------------------------------------------------------------------

def _text(value, money: bool) -> str:
    if value is None or value == []:
        return "—"
    if money:
        return format_eur(value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@dataclass
class DiffRow:
    label: str
    before: object
    after: object
    money: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def before_text(self) -> str:
        return _text(self.before, self.money)

    @property
    def after_text(self) -> str:
        return _text(self.after, self.money)


@dataclass
class VersionDiff:
    before: PolicyVersion
    after: PolicyVersion
    risk: list[DiffRow] = field(default_factory=list)
    rows: list[DiffRow] = field(default_factory=list)  # insured, beneficiaries and the line's row lists
    coverages: list[DiffRow] = field(default_factory=list)
    premiums: list[DiffRow] = field(default_factory=list)

    @property
    def changed(self) -> list[DiffRow]:
        return [row for row in self.risk + self.rows + self.coverages + self.premiums if row.changed]

    def as_dict(self) -> dict:
        def rows(items):
            return [{"label": row.label, "before": _plain(row.before), "after": _plain(row.after),
                     "changed": row.changed} for row in items]
        return {"before": {"id": self.before.pk, "number": self.before.number},
                "after": {"id": self.after.pk, "number": self.after.number},
                "risk": rows(self.risk), "rows": rows(self.rows), "coverages": rows(self.coverages),
                "premiums": rows(self.premiums)}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def _labels(spec, data: dict) -> dict[str, tuple[str, object]]:
    """field name -> (label, display value) in the form's order; unknown keys last, as they are."""
    from apps.insurance.services.risks import risk_labels

    form = spec.risk_form(prefix="risk") if spec else None
    names = [name for name in (form.fields if form else {}) if name in data]
    pairs = risk_labels(spec, data) if spec else []
    shown = {name: pair for name, pair in zip(names, pairs, strict=False)}
    row_names = set(spec.row_forms) if spec else set()
    for name, value in data.items():
        if name not in shown and name not in row_names:
            shown[name] = (name, value)
    return shown


def _row_text(row) -> str:
    if isinstance(row, dict):
        return ", ".join(f"{value}" for value in row.values() if value not in (None, ""))
    return str(row)


def _coverage_text(coverage: dict) -> str:
    parts = [str(coverage.get("name") or coverage.get("code"))]
    limit = coverage.get("limit_text") or (coverage.get("limit") and f"{coverage['limit']} €")
    if limit:
        parts.append(_("límite %s") % limit)
    if coverage.get("deductible") not in (None, "", "0", "0.00"):
        parts.append(_("franquicia %s €") % coverage["deductible"])
    if coverage.get("kind") == "optional":
        parts.append(_("opcional"))
    return " · ".join(parts)


def version_diff(a: PolicyVersion, b: PolicyVersion) -> VersionDiff:
    """What changed from version `a` to version `b`: risk fields with the line's labels, row lists
    (insured, beneficiaries, the line's members...), coverages by code and the premiums."""
    if a.number > b.number:
        a, b = b, a
    try:
        spec = get_line(a.policy.line.code)
    except LookupError:
        spec = None
    diff = VersionDiff(before=a, after=b)
    before, after = _labels(spec, a.risk_data or {}), _labels(spec, b.risk_data or {})
    for name in list(before) + [name for name in after if name not in before]:
        label = (before.get(name) or after.get(name))[0]
        diff.risk.append(DiffRow(str(label), before.get(name, (None, None))[1], after.get(name, (None, None))[1]))
    row_lists = [(name, (spec.row_labels.get(name) if spec else None) or name)
                 for name in (spec.row_forms if spec else {})]
    for name, label in row_lists:
        diff.rows.append(DiffRow(str(label), [_row_text(r) for r in (a.risk_data or {}).get(name) or []],
                                 [_row_text(r) for r in (b.risk_data or {}).get(name) or []]))
    diff.rows.append(DiffRow(_("Asegurados"), [_row_text(r) for r in a.insured or []],
                             [_row_text(r) for r in b.insured or []]))
    diff.rows.append(DiffRow(_("Beneficiarios"), [_row_text(r) for r in a.beneficiaries or []],
                             [_row_text(r) for r in b.beneficiaries or []]))
    old = {c.get("code"): c for c in a.coverages or []}
    new = {c.get("code"): c for c in b.coverages or []}
    for code in list(old) + [code for code in new if code not in old]:
        item = new.get(code) or old.get(code)
        diff.coverages.append(DiffRow(str(item.get("name") or code),
                                      _coverage_text(old[code]) if code in old else None,
                                      _coverage_text(new[code]) if code in new else None))
    for name, label in (("sum_insured", _("Suma asegurada")), ("net_premium", _("Prima neta anual")),
                        ("ips", _("IPS")), ("consorcio", _("Recargo Consorcio")), ("clea", _("Recargo CLEA")),
                        ("total_premium", _("Prima total anual"))):
        diff.premiums.append(DiffRow(label, getattr(a, name), getattr(b, name), money=True))
    return diff

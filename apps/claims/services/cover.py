"""Did the policy cover this loss? One place for the cover checks claim_open uses, and for the
coverage choices the «new claim» page offers.

A loss is covered when the policy was issued (a draft never covered anything), the loss date is
within the policy's period (start <= loss <= expiry), outside any period the policy was cancelled
([cancellation, reactivation), see insurance.services.policies.cancelled_periods) or suspended,
and the coverage is one of those of the version in force that day (the last version whose
effective date is on or before the loss)."""
import datetime

from django.utils.translation import gettext as _

from apps.claims.errors import ClaimError
from apps.insurance.choices import PolicyState
from apps.insurance.services.policies import cancelled_periods


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def suspended_periods(policy) -> list[tuple[datetime.date, datetime.date | None]]:
    """[from, to) periods the cover was suspended (to=None: still suspended), from the state history."""
    periods, opened = [], None
    for change in policy.state_changes.order_by("created_at", "pk"):
        if change.to_state == PolicyState.SUSPENDED:
            opened = change.effective_date
        elif opened is not None and change.from_state == PolicyState.SUSPENDED:
            periods.append((opened, change.effective_date))
            opened = None
    if opened is not None:
        periods.append((opened, None))
    return periods


def version_on(policy, when: datetime.date):
    """The policy version in force on `when` (None before the first one)."""
    return policy.versions.filter(effective_date__lte=when).order_by("-effective_date", "-number").first()


def coverage_choices(policy) -> list[tuple[str, str]]:
    """(code, name) of every coverage any version of the policy carried, current version first."""
    seen, choices = set(), []
    versions = sorted(policy.versions.all(), key=lambda v: v.number, reverse=True)
    for version in versions:
        for coverage in version.coverages or []:
            code = str(coverage.get("code") or "")
            if code and code not in seen:
                seen.add(code)
                choices.append((code, str(coverage.get("name") or code)))
    return choices


def _in(period, when: datetime.date) -> bool:
    start, end = period
    return when >= start and (end is None or when < end)


def check_cover(policy, *, loss_date: datetime.date, coverage_code: str) -> dict:
    """Raises ClaimError (field loss_date or coverage_code) unless the policy covered the loss;
    returns the coverage (a dict of the version in force that day)."""
    if policy.state == PolicyState.DRAFT or not policy.state_changes.filter(to_state=PolicyState.IN_FORCE).exists():
        raise ClaimError(_("La póliza %s no llegó a emitirse: no cubre ningún siniestro.") % policy.number,
                         code="claim_policy_not_issued", field="policy")
    if loss_date < policy.start_date:
        raise ClaimError(_("La fecha de ocurrencia (%(date)s) es anterior al efecto de la póliza (%(start)s).") % {
            "date": _date(loss_date), "start": _date(policy.start_date)}, code="claim_not_covered", field="loss_date")
    if loss_date > policy.expiry_date:
        raise ClaimError(_("La fecha de ocurrencia (%(date)s) es posterior al vencimiento de la póliza "
                           "(%(expiry)s).") % {"date": _date(loss_date), "expiry": _date(policy.expiry_date)},
                         code="claim_not_covered", field="loss_date")
    for period in cancelled_periods(policy):
        if _in(period, loss_date):
            raise ClaimError(_("El %(date)s la póliza estaba anulada (desde el %(start)s%(end)s): no hay "
                               "cobertura.") % {"date": _date(loss_date), "start": _date(period[0]),
                                                "end": _(" hasta el %s") % _date(period[1]) if period[1] else ""},
                             code="claim_not_covered", field="loss_date")
    for period in suspended_periods(policy):
        if _in(period, loss_date):
            raise ClaimError(_("El %(date)s la cobertura de la póliza estaba suspendida (desde el %(start)s%(end)s)."
                               ) % {"date": _date(loss_date), "start": _date(period[0]),
                                    "end": _(" hasta el %s") % _date(period[1]) if period[1] else ""},
                             code="claim_not_covered", field="loss_date")
    version = version_on(policy, loss_date)
    coverages = {str(c.get("code")): c for c in (version.coverages if version else []) or []}
    if coverage_code not in coverages:
        names = ", ".join(str(c.get("name") or code) for code, c in coverages.items()) or _("ninguna")
        raise ClaimError(_("La garantía «%(code)s» no está en la póliza el %(date)s. Garantías en vigor: "
                           "%(names)s.") % {"code": coverage_code, "date": _date(loss_date), "names": names},
                         code="claim_coverage", field="coverage_code")
    return coverages[coverage_code]

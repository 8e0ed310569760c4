"""Retention: each active rule finds its expired records, leaves out those under legal hold, and anonymises or
deletes the rest one by one (each in its own transaction with its audit event; a record the law still keeps,
e.g. a policyholder, is counted as «conservado» with the reason). Parties go through the CRM's set-based
erasure instead (apps.crm.services.gdpr_bulk: chunks of 2,000, one transaction each, the same result and one
audit event per party). A run leaves its log (RetentionRun).
Asking to anonymise or delete a held record is refused with a clear message, and the refusal is audited."""
import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.compliance.choices import RecordType, RetentionAction, RunState, RunTrigger
from apps.compliance.errors import ComplianceError
from apps.compliance.models import RetentionRule, RetentionRun
from apps.compliance.services.holds import hold_reason_text, held_ids, holds_for
from apps.compliance.services.retention_types import DEFAULT_RULES, TYPES, cutoff_for
from apps.core.events import publish
from apps.core.services.records import record_create, record_update

PROBLEMS_KEPT = 200
CHUNK = 500


def _check_rule(record_type: str, action: str) -> None:
    spec = TYPES.get(record_type)
    if spec is None:
        raise ComplianceError(_("Tipo de registro desconocido."), code="compliance_rule_type", field="record_type")
    if action not in spec.actions:
        raise ComplianceError(_("Para «%(type)s» la acción posible es: %(actions)s.") % {
            "type": RecordType(record_type).label,
            "actions": ", ".join(str(RetentionAction(a).label).lower() for a in spec.actions)},
            code="compliance_rule_action", field="action")


@transaction.atomic
def retention_rule_save(*, actor, data: dict, rule: RetentionRule | None = None,
                        expected_version: int | None = None) -> RetentionRule:
    record_type = data.get("record_type", rule.record_type if rule else "")
    _check_rule(record_type, data.get("action", rule.action if rule else ""))
    if rule is None:
        return record_create(actor=actor, model=RetentionRule, data=data)
    return record_update(actor=actor, instance=rule, data=data, expected_version=expected_version)


@transaction.atomic
def retention_rules_seed_defaults(*, actor=None) -> int:
    """The brokerage's starting rules (existing types are left as they are)."""
    created = 0
    for record_type, months, action, ground in DEFAULT_RULES:
        if not RetentionRule.objects.filter(record_type=record_type).exists():
            record_create(actor=actor, model=RetentionRule, data={
                "record_type": record_type, "period_months": months, "action": action,
                "legal_reference": str(ground)})
            created += 1
    return created


def expired(rule: RetentionRule, today: datetime.date):
    """The rule's expired records: (all of them, those not under legal hold, those held)."""
    spec = TYPES[rule.record_type]
    candidates = spec.candidates(cutoff_for(rule, today))
    held = held_ids(spec.model(), today)
    return candidates, candidates.exclude(pk__in=held), candidates.filter(pk__in=held)


def retention_preview(*, today: datetime.date | None = None, sample: int = 20) -> list[dict]:
    """«Qué se anonimizaría hoy»: per active rule, the expired records, how many are held, and a sample."""
    today = today or timezone.localdate()
    rows = []
    for rule in RetentionRule.objects.filter(is_active=True).order_by("record_type"):
        spec = TYPES[rule.record_type]
        _all, free, held = expired(rule, today)
        rows.append({"rule": rule, "cutoff": cutoff_for(rule, today), "starts": spec.starts,
                     "count": free.count(), "held": held.count(),
                     "sample": [(obj, spec.model()._meta.label_lower) for obj in free.order_by("pk")[:sample]],
                     "held_sample": list(held.order_by("pk")[:5])})
    return rows


def _reason(rule: RetentionRule, run: RetentionRun | None) -> str:
    text = _("Conservación vencida: %(type)s, %(months)s meses") % {
        "type": rule.get_record_type_display(), "months": rule.period_months}
    return f"{text} (ejecución #{run.pk})" if run else text


def _apply(rule: RetentionRule, obj, *, actor, run: RetentionRun | None) -> None:
    """One record, in its own transaction: the step plus its audit event (the party's is written by the CRM)."""
    spec = TYPES[rule.record_type]
    with transaction.atomic():
        key, text = f"{obj._meta.label_lower}.{obj.pk}", str(obj)[:200]
        changes = spec.apply(obj, rule.action, actor=actor, reason=_reason(rule, run))
        if changes is not None:
            verb = ("compliance_retention_delete" if rule.action == RetentionAction.DELETE
                    else "compliance_retention_anonymise")
            if rule.action == RetentionAction.DELETE and obj.pk is None:
                obj.pk = int(key.rsplit(".", 1)[1])  # deleted rows keep their id in the event
            audit_event_record(actor=actor, action=AuditAction.DELETE if rule.action == RetentionAction.DELETE
                               else AuditAction.ACTION, obj=obj, verb=verb,
                               changes={"regla": rule.record_type, "plazo_meses": rule.period_months,
                                        "ejecucion": run.pk if run else None, **changes})
    return text


def retention_apply_record(*, actor, rule: RetentionRule, obj) -> None:
    """Anonymises or deletes one record now (the preview's button). A record under legal hold is refused with
    the hold's reason, and the refusal is audited (it stays in the chain even though nothing changed)."""
    spec = TYPES[rule.record_type]
    if not isinstance(obj, spec.model()):
        raise ComplianceError(_("El registro no es del tipo de la regla."), code="compliance_rule_mismatch")
    holds = list(holds_for(obj))
    if holds:
        reasons = [hold_reason_text(hold) for hold in holds]
        with transaction.atomic():
            audit_event_record(actor=actor, action=AuditAction.ACTION, obj=obj, verb="compliance_retention_refused",
                               changes={"regla": rule.record_type, "accion": rule.action,
                                        "retenciones": [hold.pk for hold in holds]})
        raise ComplianceError(
            _("No se puede %(action)s «%(obj)s»: está bajo retención legal. %(reasons)s") % {
                "action": str(rule.get_action_display()).lower(), "obj": obj, "reasons": " ".join(reasons)},
            code="compliance_legal_hold", status=409)
    if not spec.candidates(cutoff_for(rule, timezone.localdate())).filter(pk=obj.pk).exists():
        raise ComplianceError(_("El plazo de conservación de «%(obj)s» no ha vencido.") % {"obj": obj},
                              code="compliance_not_expired")
    try:
        _apply(rule, obj, actor=actor, run=None)
    except ValidationError as exc:
        raise ComplianceError(" ".join(exc.messages), code="compliance_must_keep") from exc


def _share(progress: Callable, index: int, rules: int, rule: RetentionRule, row: dict) -> Callable:
    def report(processed: int, total: int) -> None:
        progress(int(100 * (index + processed / max(total, 1)) / max(rules, 1)),
                 f"{rule.get_record_type_display()}: {row['done']}")
    return report


def _run_bulk(rule: RetentionRule, ids: list[int], free, row: dict, problems: list, *, actor, run,
              progress: Callable | None) -> None:
    """A type with a set-based path (parties): chunks of one transaction each, audited by the domain."""
    result = TYPES[rule.record_type].bulk(ids, actor=actor, reason=_reason(rule, run), scope=free, progress=progress)
    row["done"], row["kept"], row["errors"] = len(result.done), len(result.kept), len(result.errors)
    for pk, (name, reasons) in sorted(result.kept.items()) + sorted(result.errors.items()):
        if len(problems) >= PROBLEMS_KEPT:
            break
        problems.append({"tipo": rule.record_type, "id": pk, "registro": str(name)[:120],
                         "motivo": (" ".join(reasons) if isinstance(reasons, list) else reasons)[:300]})


def retention_run(*, actor=None, today: datetime.date | None = None, trigger: str = RunTrigger.SCHEDULE,
                  progress: Callable | None = None, record_types: list[str] | None = None) -> RetentionRun:
    """Applies every active rule (or those of `record_types`) as of `today`; returns the run's log."""
    today = today or timezone.localdate()
    user = actor if getattr(actor, "pk", None) else None
    run = RetentionRun.objects.create(trigger=trigger, today=today, actor=user)
    rules = list(RetentionRule.objects.filter(is_active=True).order_by("record_type"))
    if record_types:
        rules = [rule for rule in rules if rule.record_type in record_types]
    totals, problems = {}, []
    try:
        for index, rule in enumerate(rules):
            _all, free, held = expired(rule, today)
            row = {"candidates": _all.count(), "held": held.count(), "done": 0, "kept": 0, "errors": 0}
            totals[rule.record_type] = row
            ids = list(free.order_by("pk").values_list("pk", flat=True))
            if TYPES[rule.record_type].bulk is not None:
                _run_bulk(rule, ids, free, row, problems, actor=actor, run=run,
                          progress=_share(progress, index, len(rules), rule, row) if progress else None)
                continue
            model = TYPES[rule.record_type].model()
            for start in range(0, len(ids), CHUNK):
                for obj in model._default_manager.filter(pk__in=ids[start:start + CHUNK]).order_by("pk"):
                    try:
                        _apply(rule, obj, actor=actor, run=run)
                        row["done"] += 1
                    except ValidationError as exc:  # the law keeps it (retention checks)
                        row["kept"] += 1
                        if len(problems) < PROBLEMS_KEPT:
                            problems.append({"tipo": rule.record_type, "id": obj.pk, "registro": str(obj)[:120],
                                             "motivo": " ".join(exc.messages)[:300]})
                    except Exception as exc:  # noqa: BLE001 - one record must not stop the run
                        row["errors"] += 1
                        if len(problems) < PROBLEMS_KEPT:
                            problems.append({"tipo": rule.record_type, "id": obj.pk, "registro": str(obj)[:120],
                                             "motivo": f"{type(exc).__name__}: {exc}"[:300]})
                if progress:
                    share = (start + CHUNK) / max(len(ids), 1)
                    progress(int(100 * (index + min(share, 1)) / max(len(rules), 1)),
                             f"{rule.get_record_type_display()}: {row['done']}")
    except Exception:
        run.state = RunState.FAILED
        raise
    else:
        run.state = RunState.DONE
    finally:
        run.totals, run.problems, run.finished_at = totals, problems, timezone.now()
        run.save(update_fields=["state", "totals", "problems", "finished_at"])
        with transaction.atomic():
            audit_event_record(actor=actor, action=AuditAction.ACTION, obj=run, verb="compliance_retention_run",
                               changes={"fecha": today, "resultado": totals})
        publish("compliance.retentionrun.finished", pk=run.pk)
    return run

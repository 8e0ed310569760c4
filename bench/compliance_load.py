"""Figure «Cumplimiento» (issue 12, item 5): a retention run over `parties` parties, most of them expired (last
changed six years ago), `held_share` of them under a legal hold (bench/run.py wiring is the lead's:
bench_compliance + compliance_report).

One brokerage of our own (cloned, bench_<pid>_compliance). Seed with bulk_create (fixture data, not the behaviour
measured): persons with an e-mail contact each, 90 % back-dated past the 60-month rule, the held ones with a
LegalHold row each. Then apps.compliance.services.retention.retention_run for the «cliente sin relación activa»
rule: wall time, queries, parties anonymised per second (set-based: apps.crm.services.gdpr_bulk, chunks of 2,000
in one transaction each, one gdpr_erasure audit event per party), and checks afterwards: no held party touched
(its name and contact still there), every free expired party anonymised, one audit event per anonymised party.
Run alone: .venv/bin/python bench/compliance_load.py [parties]  (prints the figures)."""
from __future__ import annotations

import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aitcore.settings.test")

from bench.common import drop_tenant, error_text, figure_done, run_part, say, section_ran  # noqa: E402

SEED_BATCH = 5000
EXPIRED_SHARE = 0.9
FIRST = ["Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Leo", "Julia", "Daniel", "Paula", "Álvaro"]
LAST = ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín"]


def seed_parties(count: int, held_share: float) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from apps.compliance.models import LegalHold
    from apps.crm.models import ContactPoint, Party

    started = time.perf_counter()
    rng = random.Random(2026_12)
    old = timezone.now() - datetime.timedelta(days=365 * 6)
    content_type = ContentType.objects.get_for_model(Party)
    expired_ids, held = [], 0
    for offset in range(0, count, SEED_BATCH):
        size = min(SEED_BATCH, count - offset)
        objs = []
        for i in range(size):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            objs.append(Party(kind="person", first_name=first, last_name=last, display_name=f"{first} {last}",
                              notes="Interesado de una campaña antigua"))
        with transaction.atomic():
            Party.objects.bulk_create(objs, batch_size=SEED_BATCH)
            ContactPoint.objects.bulk_create(
                [ContactPoint(party=p, kind="email", value=f"p{p.pk}@correo.es", normalized=f"p{p.pk}@correo.es")
                 for p in objs], batch_size=SEED_BATCH)
            aged = [p.pk for p in objs if rng.random() < EXPIRED_SHARE]
            Party.objects.filter(pk__in=aged).update(updated_at=old)
            holds = [LegalHold(content_type=content_type, object_id=pk, reason="Procedimiento judicial (bench)")
                     for pk in aged if rng.random() < held_share]
            LegalHold.objects.bulk_create(holds)
        expired_ids += aged
        held += len(holds)
    return {"parties": count, "expired": len(expired_ids), "held": held, "seconds": time.perf_counter() - started}


def bench_run(admin) -> dict:
    from django.db import connection
    from django.utils import timezone

    from apps.audit.models import AuditEvent
    from apps.compliance.choices import RecordType
    from apps.compliance.models import LegalHold
    from apps.compliance.services.retention import retention_rules_seed_defaults, retention_run
    from apps.crm.models import Party

    retention_rules_seed_defaults(actor=admin)
    queries = []

    def count(execute, sql, params, many, context):  # a counter: CaptureQueriesContext keeps only 9000
        queries.append(1)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        run = retention_run(actor=admin, record_types=[RecordType.PARTY_INACTIVE])
    seconds = time.perf_counter() - started
    row = run.totals[RecordType.PARTY_INACTIVE]
    held_ids = LegalHold.objects.values_list("object_id", flat=True)
    held = Party.objects.filter(pk__in=held_ids)
    held_touched = (held.filter(anonymised_at__isnull=False).count()
                    + held.filter(display_name__startswith="Anonimizado").count()
                    + held.count() - held.filter(contacts__isnull=False).distinct().count())
    free_left = Party.objects.filter(anonymised_at__isnull=True).exclude(pk__in=held_ids).filter(
        updated_at__lt=timezone.now() - datetime.timedelta(days=365 * 5)).count()
    events = AuditEvent.objects.filter(verb="gdpr_erasure").count()
    return {"seconds": seconds, "queries": len(queries), "done": row["done"], "held": row["held"],
            "kept": row["kept"], "errors": row["errors"], "per_second": row["done"] / seconds if seconds else None,
            "held_touched": held_touched, "free_left": free_left, "audit_events": events}


def bench_compliance(*, parties: int = 100_000, held_share: float = 0.02) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("compliance", use_template=True)
    schema = tenant.schema_name
    result = {"parties": parties, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
        run_part("seed", lambda: seed_parties(parties, held_share), schema=schema, result=result, errors=errors,
                 label="compliance")
        if result.get("seed"):
            run_part("run", lambda: bench_run(admin), schema=schema, result=result, errors=errors, label="compliance")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def compliance_report(data: dict | None, why: str) -> None:
    """The «retention run» section. `why` is printed when the figure did not run."""
    if not section_ran(data, "Cumplimiento: conservación", why):
        return
    say(f"Cumplimiento: retention run (brokerage {data['schema']}, whole figure {data['wall_s']:.0f} s)")
    seed, run, errors = data.get("seed"), data.get("run"), data["errors"] or {}
    if seed:
        say(f"   seed: {seed['parties']} parties, {seed['expired']} expired, {seed['held']} held, "
            f"in {seed['seconds']:.1f} s (bulk_create)")
    if run:
        say(f"   run: {run['done']} anonymised in {run['seconds']:.1f} s = {run['per_second']:.0f} parties/s "
            f"({run['queries']} queries, {run['queries'] / max(run['done'], 1):.2f} per party); held skipped "
            f"{run['held']}, kept by law {run['kept']}, errors {run['errors']}")
        untouched = "OK" if run["held_touched"] == 0 else f"FAILED ({run['held_touched']} touched)"
        say(f"   checks: held untouched {untouched}; expired free parties left {run['free_left']}; "
            f"gdpr_erasure audit events {run['audit_events']} (one per anonymised party)")
    elif "run" in errors:
        say(f"   run FAILED: {errors['run']}")


def main() -> None:
    import django

    django.setup()
    parties = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    compliance_report(bench_compliance(parties=parties), "")


if __name__ == "__main__":
    main()

"""Line rows mirror the registered line apps: created with the line's tax defaults, then
owned by staff (a later sync never overwrites their settings)."""
from django.db import transaction

from apps.insurance.lines import registered_lines
from apps.insurance.models import Line


@transaction.atomic
def lines_sync() -> list[Line]:
    existing = {line.code: line for line in Line.objects.all()}
    created = []
    for spec in registered_lines():
        if spec.code in existing:
            continue
        created.append(Line.objects.create(
            code=spec.code, name=spec.name, dgsfp_class=spec.dgsfp_class, is_life=spec.is_life,
            ips_applies=spec.ips_applies, clea_applies=spec.clea_applies,
            consorcio_basis=spec.consorcio_basis, consorcio_rate=spec.consorcio_rate,
        ))
    return created


def line_for(code: str) -> Line:
    """The Line row of a registered line, created on first use (e.g. a line added after provisioning)."""
    line = Line.objects.filter(code=code).first()
    if line is None:
        lines_sync()
        line = Line.objects.get(code=code)
    return line

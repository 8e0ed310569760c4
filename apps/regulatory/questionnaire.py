"""The demands-and-needs test of a policy (LDS art. 172): the same short questionnaire per kind of
line the quote uses (apps.insurance.forms.quotes: common questions plus motor / property / persons /
liability ones) and the product's suitability statement built from the answers."""
from django.utils.translation import gettext as _

from apps.insurance.forms.quotes import DemandsForm, needs_display
from apps.insurance.lines import get_line


def line_spec(policy):
    """The registered line of the policy, or None (a line app no longer installed)."""
    try:
        return get_line(policy.line.code)
    except LookupError:
        return None


def demands_form(policy, data=None, *, initial=None):
    spec = line_spec(policy)
    if spec is None:
        return None
    return DemandsForm(data, spec=spec, initial=initial)


def answers_display(policy, answers: dict) -> list[tuple[str, str]]:
    return needs_display(line_spec(policy), answers or {})


def suitability_statement(policy, answers: dict) -> str:
    """«El producto X de Y se ajusta a las exigencias y necesidades declaradas por el cliente: …»."""
    pairs = answers_display(policy, answers)
    declared = "; ".join(f"{question} {answer}" for question, answer in pairs[:4])
    text = _("El producto «%(product)s» de %(insurer)s se ajusta a las exigencias y necesidades declaradas por "
             "el cliente%(declared)s. Se le ha informado de sus coberturas, exclusiones y limitaciones.") % {
        "product": policy.product.name, "insurer": policy.insurer.name,
        "declared": f" ({declared})" if declared else ""}
    summary = (policy.product.ipid_summary or "").strip()
    return f"{text} {summary}".strip()[:2000]

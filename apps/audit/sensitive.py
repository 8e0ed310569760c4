"""Which fields are sensitive, who may see them unmasked and how they are masked.

Everyone sees the masked form (ES** **** **** **** **** 1234, ********1234, «Datos de salud protegidos»).
Users with the category's permission (or audit.view_sensitive_data) get a «Mostrar» button / ?reveal=1
in the API, which goes through apps.audit.services.sensitive_reveal and leaves an audit event.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.core.encryption import HEALTH_KEYS

ALL_PERMISSION = "audit.view_sensitive_data"
CATEGORY_PERMISSIONS = {
    "bank": "audit.view_sensitive_bank_data",
    "hr": "audit.view_sensitive_hr_data",
    "health": "audit.view_sensitive_health_data",
}
HEALTH_MASK = _("Datos de salud protegidos")
HEALTH_LABELS = {"smoker": _("Fumador"), "health_answers": _("Cuestionario de salud"),
                 "health_questionnaire": _("Cuestionario de salud"), "medical_conditions": _("Enfermedades"),
                 "preexisting_conditions": _("Enfermedades preexistentes"), "height_cm": _("Altura (cm)"),
                 "weight_kg": _("Peso (kg)")}


@dataclass(frozen=True)
class SensitiveField:
    model: str  # "app_label.model_name"
    field: str
    category: str  # a CATEGORY_PERMISSIONS key
    kind: str  # "iban" | "ss_number" | "health"
    label: str


SENSITIVE_FIELDS = [
    SensitiveField("crm.bankaccount", "iban", "bank", "iban", _("IBAN")),
    SensitiveField("collections.collaborator", "iban", "bank", "iban", _("IBAN")),
    SensitiveField("hr.employee", "iban", "hr", "iban", _("IBAN para la nómina")),
    SensitiveField("hr.employee", "ss_number", "hr", "ss_number", _("número de afiliación a la Seguridad Social")),
    SensitiveField("insurance.policyversion", "risk_data", "health", "health", _("datos de salud del riesgo")),
    SensitiveField("insurance.policyversion", "insured", "health", "health", _("datos de salud de los asegurados")),
    SensitiveField("insurance.quote", "risk_data", "health", "health", _("datos de salud del riesgo")),
]
_BY_KEY = {(spec.model, spec.field): spec for spec in SENSITIVE_FIELDS}


def model_key(obj_or_model) -> str:
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def spec_for(obj_or_model, field: str) -> SensitiveField | None:
    return _BY_KEY.get((model_key(obj_or_model), field))


def can_view(user, category: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_perm(ALL_PERMISSION) or user.has_perm(CATEGORY_PERMISSIONS[category])


# --- Masks ------------------------------------------------------------------------------------------

def mask_iban(value) -> str:
    """ES91 2100 0418 4502 0005 1332 -> «ES** **** **** **** **** 1332»."""
    compact = "".join(str(value or "").split()).upper()
    if not compact:
        return ""
    if len(compact) < 8:
        return "*" * len(compact)
    hidden = compact[:2] + "*" * (len(compact) - 6) + compact[-4:]
    return " ".join(hidden[i:i + 4] for i in range(0, len(hidden), 4))


def mask_ss_number(value) -> str:
    """281234567840 -> «********7840»."""
    digits = "".join(ch for ch in str(value or "") if ch.isalnum())
    if not digits:
        return ""
    return "*" * max(len(digits) - 4, 3) + digits[-4:]


def mask_health(value):
    """A copy with every health key's value replaced by «Datos de salud protegidos»."""
    if isinstance(value, dict):
        return {k: (str(HEALTH_MASK) if k in HEALTH_KEYS else mask_health(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_health(item) for item in value]
    return value


def unmask_health(new, old):
    """`new` as sent back by a client that saw the masked form: masked health values take the stored ones."""
    if isinstance(new, dict):
        old = old if isinstance(old, dict) else {}
        out = {}
        for key, value in new.items():
            if key in HEALTH_KEYS and value == str(HEALTH_MASK):
                if key in old:
                    out[key] = old[key]
                continue
            out[key] = unmask_health(value, old.get(key))
        return out
    if isinstance(new, list):
        old = old if isinstance(old, list) else []
        return [unmask_health(item, old[i] if i < len(old) else None) for i, item in enumerate(new)]
    return new


def health_values(value) -> list[tuple[str, object]]:
    """(path, value) of every health key inside the JSON, for the revealed view."""
    found = []

    def walk(item, path):
        if isinstance(item, dict):
            for key, sub in item.items():
                if key in HEALTH_KEYS:
                    found.append((" · ".join(path + [str(HEALTH_LABELS.get(key, key))]), sub))
                else:
                    walk(sub, path + [key])
        elif isinstance(item, list):
            for index, sub in enumerate(item, start=1):
                walk(sub, path + [str(index)])

    walk(value, [])
    return found


def mask(spec: SensitiveField, value):
    if spec.kind == "iban":
        return mask_iban(value)
    if spec.kind == "ss_number":
        return mask_ss_number(value)
    return mask_health(value)

"""Every state change of the compliance domain: <entity>_<verb>(*, actor, ...)."""
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS

for _verb, _label in {
    "compliance_hold_place": gettext_lazy("retención legal ordenada"),
    "compliance_hold_release": gettext_lazy("retención legal levantada"),
    "compliance_retention_anonymise": gettext_lazy("conservación: registro anonimizado"),
    "compliance_retention_delete": gettext_lazy("conservación: registro borrado"),
    "compliance_retention_refused": gettext_lazy("conservación rechazada: retención legal"),
    "compliance_retention_run": gettext_lazy("ejecución de la conservación"),
    "compliance_dsr_state": gettext_lazy("solicitud de derechos: cambio de estado"),
    "compliance_dsr_extend": gettext_lazy("solicitud de derechos: plazo ampliado"),
    "compliance_dsr_export": gettext_lazy("solicitud de derechos: exportación adjuntada"),
    "compliance_dsr_erasure_refused": gettext_lazy("solicitud de supresión rechazada por obligación de conservar"),
    "compliance_complaint_state": gettext_lazy("queja o reclamación: cambio de estado"),
    "compliance_complaint_resolve": gettext_lazy("queja o reclamación resuelta"),
    "compliance_activities_seed": gettext_lazy("registro de actividades: actividades estándar"),
}.items():
    VERB_LABELS.setdefault(_verb, _label)

"""The standard roles of a brokerage and the modules (Django app labels) each one reaches.

"manage" grants every model permission of the module, "view" only view_*, "use" all but the
module's brokerage-wide settings (SETTINGS_PERMISSIONS: e.g. the generated documents' templates). Modules listed in
`own_only` are filtered to the user's own records (see apps.core.permissions.visible_to).
A module that lands later is picked up the next time roles are synced (after migrate).
"""
from dataclasses import dataclass, field

ALL = "*"


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    modules: dict[str, str]
    own_only: tuple[str, ...] = field(default=())


SETTINGS_PERMISSIONS = {
    "documents": ("add_documenttemplate", "change_documenttemplate", "delete_documenttemplate"),
}
PERSONAL_MODULES = {"notifications": "manage", "jobs": "view"}
# Permissions no module level grants (not even "*" or "view"): only the roles listed here get them.
# Unmasked sensitive data (apps/audit/sensitive.py): all of it, HR fields, bank accounts, health data.
EXPLICIT_PERMISSIONS = {
    "audit.view_sensitive_data": ("direccion",),
    "audit.view_sensitive_hr_data": ("direccion", "rrhh"),
    "audit.view_sensitive_bank_data": ("direccion", "cobros", "contabilidad"),
    "audit.view_sensitive_health_data": ("direccion",),
    # The DEC return to the DGSFP (apps.regulatory): not for the Comercial role's "view".
    "regulatory.view_dec": ("direccion", "contabilidad"),
    # Risk scores (apps.predictive): each kind to the role that acts on it.
    "predictive.view_churn_score": ("direccion", "comercial"),
    "predictive.view_fraud_score": ("direccion", "siniestros"),
    "predictive.view_anomaly_score": ("direccion", "contabilidad"),
}

ROLE_SPECS = [
    RoleSpec("direccion", "Dirección", {ALL: "manage"}),
    RoleSpec(
        "comercial", "Comercial",
        {"crm": "manage", "insurance": "manage", "lines": "manage", "documents": "use", "analytics": "view",
         "collections": "view", "claims": "manage", "regulatory": "view", "predictive": "view"},
        own_only=("crm", "insurance", "collections", "claims", "regulatory"),
    ),
    RoleSpec(
        "contabilidad", "Administración y Contabilidad",
        {"accounting": "manage", "treasury": "manage", "collections": "manage", "crm": "view", "insurance": "view",
         "analytics": "view", "audit": "view", "regulatory": "view", "predictive": "view", "compliance": "view",
         "engines": "use"},  # engines.run_engine: actuarial/statistical engines (Dirección has them through "*")
    ),
    RoleSpec("cobros", "Cobros", {"treasury": "manage", "collections": "manage", "crm": "view", "insurance": "view",
                                  "analytics": "view"}),
    RoleSpec("siniestros", "Siniestros",
             {"claims": "manage", "crm": "view", "insurance": "view", "collections": "view", "documents": "use",
              "analytics": "view", "predictive": "view"}),
    RoleSpec("rrhh", "RRHH", {"hr": "manage", "analytics": "view"}),
    RoleSpec(
        "sistemas", "Sistemas",
        {"identity": "manage", "audit": "view", "jobs": "manage", "auth": "manage", "notifications": "manage"},
    ),
]
ROLES_BY_CODE = {spec.code: spec for spec in ROLE_SPECS}
ROLES_BY_NAME = {spec.name: spec for spec in ROLE_SPECS}

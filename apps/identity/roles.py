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

ROLE_SPECS = [
    RoleSpec("direccion", "Dirección", {ALL: "manage"}),
    RoleSpec(
        "comercial", "Comercial",
        {"crm": "manage", "insurance": "manage", "lines": "manage", "documents": "use", "analytics": "view",
         "collections": "view", "claims": "manage"},
        own_only=("crm", "insurance", "collections", "claims"),
    ),
    RoleSpec(
        "contabilidad", "Administración y Contabilidad",
        {"accounting": "manage", "treasury": "manage", "collections": "manage", "crm": "view", "insurance": "view",
         "analytics": "view", "audit": "view"},
    ),
    RoleSpec("cobros", "Cobros", {"treasury": "manage", "collections": "manage", "crm": "view", "insurance": "view"}),
    RoleSpec("siniestros", "Siniestros",
             {"claims": "manage", "crm": "view", "insurance": "view", "collections": "view", "documents": "use"}),
    RoleSpec("rrhh", "RRHH", {"hr": "manage"}),
    RoleSpec(
        "sistemas", "Sistemas",
        {"identity": "manage", "audit": "view", "jobs": "manage", "auth": "manage", "notifications": "manage"},
    ),
]
ROLES_BY_CODE = {spec.code: spec for spec in ROLE_SPECS}
ROLES_BY_NAME = {spec.name: spec for spec in ROLE_SPECS}

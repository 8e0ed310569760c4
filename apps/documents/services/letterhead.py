"""The brokerage's letterhead on its generated documents: the address and the logo of its Tenant row
(public schema), changed from inside its own schema by staff who edit the templates."""
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.documents.services.generation_context import IMAGE_TYPES, MAX_LOGO_BYTES
from apps.documents.services.template_sandbox import TemplateRefused

VERB_LABELS.setdefault("letterhead_update", gettext_lazy("cambio del membrete"))


def _check_logo(logo) -> None:
    if logo.size > MAX_LOGO_BYTES:
        raise TemplateRefused(_("El logotipo ocupa %(kb)d KB; el máximo es %(max)d KB.") % {
            "kb": logo.size // 1024, "max": MAX_LOGO_BYTES // 1024}, code="document_logo_too_big", field="logo")
    logo.seek(0)
    head = logo.read(8)
    logo.seek(0)
    if not any(head.startswith(magic) for magic, _mime in IMAGE_TYPES):
        raise TemplateRefused(_("El logotipo debe ser una imagen PNG, JPEG o GIF."), code="document_logo_type",
                              field="logo")


@transaction.atomic
def letterhead_update(*, actor, address: str | None = None, logo=None, remove_logo: bool = False):
    """Changes this brokerage's address and/or logo; returns the Tenant."""
    from django_tenants.utils import get_tenant_model

    tenant = get_tenant_model().objects.select_for_update().get(schema_name=connection.schema_name)
    before = {"domicilio": tenant.address, "logotipo": tenant.logo.name or ""}
    if logo:
        _check_logo(logo)
    if address is not None:
        tenant.address = address.strip()[:300]
    if (remove_logo or logo) and tenant.logo:
        tenant.logo.delete(save=False)
    if logo:
        tenant.logo.save(logo.name, logo, save=False)
    tenant.save(update_fields=["address", "logo"])
    after = {"domicilio": tenant.address, "logotipo": tenant.logo.name or ""}
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="letterhead_update", obj=tenant,
                       changes={key: [before[key], after[key]] for key in before if before[key] != after[key]})
    return tenant

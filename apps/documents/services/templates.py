"""The brokerage's own templates for the generated documents: save (validated in the sandbox first, so a
refused template is never stored), restore an earlier revision, go back to the shipped default. Every
change is a new numbered revision; none is ever deleted."""
import functools

from django.db import transaction
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import StaleObjectError
from apps.core.events import publish
from apps.documents.models import DocumentTemplate, DocumentTemplateRevision
from apps.documents.services.generation_kinds import kind_for
from apps.documents.services.template_sandbox import TemplateRefused, template_compile, template_render

VERB_LABELS.setdefault("document_template_save", gettext_lazy("cambio de plantilla de documento"))
VERB_LABELS.setdefault("document_template_reset", gettext_lazy("vuelta a la plantilla de serie"))

DEFAULTS = "documents/generated/{code}.html"


@functools.lru_cache(maxsize=16)
def default_template_source(code: str) -> str:
    """The shipped template of `code` (templates/documents/generated/<code>.html), as text."""
    kind_for(code)
    return get_template(DEFAULTS.format(code=code)).template.source


def custom_template(code: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(code=code).first()


def template_source(code: str) -> str:
    """What documents of `code` are rendered with in this brokerage: its own version or the default."""
    custom = custom_template(code)
    return custom.body if custom is not None and not custom.uses_default else default_template_source(code)


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _record(*, actor, code: str, body: str, uses_default: bool, note: str,
            expected_revision: int | None) -> DocumentTemplate:
    template = DocumentTemplate.objects.select_for_update().filter(code=code).first()
    if template is None:
        template = DocumentTemplate(code=code, body=body)
    if expected_revision is not None and template.revision != expected_revision:
        raise StaleObjectError(_("Otra persona guardó la plantilla mientras la editaba (revisión %(now)d). "
                                 "Recargue la página para ver sus cambios.") % {"now": template.revision})
    before = template.revision
    template.body, template.uses_default, template.updated_by = body, uses_default, _actor(actor)
    template.revision = before + 1
    template.save()
    DocumentTemplateRevision.objects.create(template=template, number=template.revision, body=body,
                                            uses_default=uses_default, note=note[:200], created_by=_actor(actor))
    verb = "document_template_reset" if uses_default else "document_template_save"
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb=verb, obj=template,
                       changes={"revision": [before, template.revision], "nota": note[:200]})
    publish("documents.template.saved", code=code, revision=template.revision)
    return template


@transaction.atomic
def document_template_save(*, actor, code: str, body: str, note: str = "",
                           expected_revision: int | None = None) -> DocumentTemplate:
    """Stores the brokerage's version of `code` after checking it compiles in the sandbox and renders."""
    kind_for(code)
    body = (body or "").replace("\r\n", "\n")
    template_render(template_compile(body), {})  # a tag that fails on empty data fails here, not on a client
    return _record(actor=actor, code=code, body=body, uses_default=False, note=note,
                   expected_revision=expected_revision)


@transaction.atomic
def document_template_reset(*, actor, code: str, expected_revision: int | None = None) -> DocumentTemplate:
    """Back to the shipped template (kept as a revision too, so the change can be undone)."""
    kind_for(code)
    return _record(actor=actor, code=code, body=default_template_source(code), uses_default=True,
                   note=_("Vuelta a la plantilla de serie"), expected_revision=expected_revision)


@transaction.atomic
def document_template_restore(*, actor, code: str, number: int) -> DocumentTemplate:
    revision = DocumentTemplateRevision.objects.filter(template__code=code, number=number).first()
    if revision is None:
        raise TemplateRefused(_("La plantilla no tiene la revisión %(n)s.") % {"n": number},
                              code="document_template_no_revision", status=404)
    if revision.uses_default:
        return document_template_reset(actor=actor, code=code)
    return document_template_save(actor=actor, code=code, body=revision.body,
                                  note=_("Restaurada desde la revisión %(n)d") % {"n": number})

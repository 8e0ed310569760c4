"""Generated documents (issue 11 item 3): a record's PDF from the brokerage's template (its own version if
it edited one, else the shipped default), stored as a document of the record; and the mail merge, one
personalised letter per party of a segment, stored on the party and e-mailed to those who consented.

Rendering is sandboxed (services.template_sandbox): the template sees plain data only and the PDF fetches
nothing. Record keys are "<app_label>.<model>.<pk>", the same as any document of that record.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.documents.services.generation_context import letterhead, today_text
from apps.documents.services.generation_kinds import kind_for, record_key, record_label
from apps.documents.services.template_sandbox import TemplateRefused, html_to_pdf, template_render
from apps.documents.services.templates import template_source

VERB_LABELS.setdefault("document_generate", gettext_lazy("generación de documento"))


def _check_record(kind, record) -> None:
    if kind.source_for(record) is None:
        raise TemplateRefused(_("«%(kind)s» no se genera para %(record)s.") % {
            "kind": kind.label, "record": record._meta.verbose_name}, code="document_template_wrong_record")


def document_render_html(*, template_code: str, record, source: str | None = None, head: dict | None = None,
                         extra: dict | None = None) -> str:
    """The document's HTML: `source` (an unsaved template being previewed) or the brokerage's template."""
    kind = kind_for(template_code)
    _check_record(kind, record)
    context = {"brokerage": head if head is not None else letterhead(), "today": today_text(),
               **kind.context(record), **(extra or {})}
    return template_render(source if source is not None else template_source(template_code), context)


def document_render_pdf(*, template_code: str, record, source: str | None = None, head: dict | None = None,
                        extra: dict | None = None) -> bytes:
    return html_to_pdf(document_render_html(template_code=template_code, record=record, source=source, head=head,
                                            extra=extra))


def document_title(template_code: str, record) -> str:
    return f"{kind_for(template_code).label} {record}"[:200]


def category_code(kind, label: str) -> str | None:
    """The kind's category if this brokerage has it (active, for records of `label`); else none."""
    from apps.documents.models import DocumentCategory

    category = DocumentCategory.objects.filter(code=kind.category, is_active=True).first()
    return category.code if category is not None and category.applies_to(label) else None


def previous_document(key: str, title: str):
    """The record's document generated before with the same title: generating again adds a version to it."""
    from apps.documents.selectors import record_documents

    return record_documents(key).filter(title=title).first()


@transaction.atomic
def document_generate(*, actor, template_code: str, record, head: dict | None = None, extra: dict | None = None):
    """Renders the record's document and stores it as a document of the record (a new version of the one
    generated before, if any); returns the Document."""
    from apps.documents.services.documents import document_store_bytes

    kind = kind_for(template_code)
    content = document_render_pdf(template_code=template_code, record=record, head=head, extra=extra)
    key, title = record_key(record), document_title(template_code, record)
    document = document_store_bytes(actor=actor, key=key, filename=kind.filename(record), content=content,
                                    title=title, category_code=category_code(kind, record_label(record)),
                                    document=previous_document(key, title))
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="document_generate", obj=record,
                       changes={"plantilla": template_code, "documento": document.pk, "bytes": len(content)})
    publish("documents.generated", code=template_code, key=key, document=document.pk)
    return document


# The mail merge lives in its own module; importable from here as the generation's third door.
from apps.documents.services.mail_merge import mail_merge, mail_merge_start  # noqa: E402,F401

"""Mail merge to a CRM segment: one personalised letter (PDF from the brokerage's «letter» template) per
party of the segment the actor may reach, stored as a document of the party, and e-mailed with the PDF
attached to those with an e-mail address and an active marketing consent (the campaigns' rule).

Each party's document is committed on its own, like a campaign's recipients: an e-mail cannot be rolled
back, so the run is not one transaction. `mail_merge_start` runs it as a background job (apps.jobs).
"""
import contextlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.core.permissions import visible_to
from apps.documents.services.generation import category_code, document_render_pdf, document_title, previous_document
from apps.documents.services.generation_context import letter_values, letterhead
from apps.documents.services.generation_kinds import kind_for, record_key
from apps.documents.services.template_sandbox import TemplateRefused, template_compile, template_render
from apps.documents.services.templates import template_source

VERB_LABELS.setdefault("mail_merge", gettext_lazy("combinación de correspondencia"))
CHUNK = 100


def mail_merge_check(*, subject: str, body_template: str, template_code: str = "letter"):
    """The letter kind and the compiled subject and text; refused with a message before anything runs."""
    kind = kind_for(template_code)
    if kind.sources[0].label != "crm.party":
        raise TemplateRefused(_("La combinación de correspondencia usa una plantilla de carta a cliente; "
                                "«%(kind)s» se genera desde su propio registro.") % {"kind": kind.label},
                              code="document_merge_wrong_template", field="template_code")
    if not (subject or "").strip():
        raise TemplateRefused(_("Indique el asunto."), code="document_merge_subject", field="subject")
    return kind, template_compile(subject), template_compile(body_template)


def _segment_party_ids(segment, actor) -> list[int]:
    from apps.crm.services.segments import segment_parties

    try:
        queryset = segment_parties(segment)
    except ValidationError as exc:
        raise TemplateRefused(" ".join(exc.messages), code="document_merge_segment") from exc
    if getattr(actor, "pk", None):
        queryset = visible_to(queryset, actor, "account_manager")
    return list(queryset.values_list("pk", flat=True))


def _chunk(ids):
    from apps.crm.choices import ConsentPurpose, ContactKind
    from apps.crm.models import Address, ContactPoint, Party
    from apps.crm.services.consents import active_consent_exists

    emails = ContactPoint.objects.filter(kind=ContactKind.EMAIL).order_by("-is_primary", "pk")
    return (Party.objects.filter(pk__in=ids).select_related("account_manager")
            .annotate(has_marketing=active_consent_exists(ConsentPurpose.MARKETING))
            .prefetch_related(Prefetch("addresses", queryset=Address.objects.order_by("-is_primary", "pk")),
                              Prefetch("contacts", queryset=emails, to_attr="email_contacts")).order_by("pk"))


def _email(party, subject: str, text: str, filename: str, content: bytes, segment, mail_connection) -> str:
    """Sends the letter; returns the outcome counted: emailed, no_consent, no_email or failed."""
    if not party.has_marketing:
        return "no_consent"
    if not party.email_contacts:
        return "no_email"
    message = EmailMessage(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[party.email_contacts[0].value], connection=mail_connection,
                           headers={"X-Mail-Merge-Segment": str(segment.pk)})
    message.attach(filename, content, "application/pdf")
    try:
        message.send()
    except Exception:  # noqa: BLE001 - a transport error is this party's outcome, the run goes on
        return "failed"
    return "emailed"


def mail_merge(*, actor, segment, subject: str, body_template: str, template_code: str = "letter",
               send_email: bool = True, progress: Callable | None = None) -> dict:
    """Generates (and stores) one letter per party of the segment; returns the counts."""
    from apps.documents.services.documents import document_store_bytes

    progress = progress or (lambda pct, message="": None)
    kind, subject_t, body_t = mail_merge_check(subject=subject, body_template=body_template,
                                               template_code=template_code)
    source, head, category = template_source(template_code), letterhead(), category_code(kind, "crm.party")
    template_compile(source)
    ids = _segment_party_ids(segment, actor)
    counts = {"documents": 0, "emailed": 0, "no_consent": 0, "no_email": 0, "failed": 0}
    progress(2, _("%(n)d clientes en el segmento") % {"n": len(ids)})
    mail_connection = get_connection(fail_silently=False) if send_email else None
    with contextlib.closing(mail_connection) if mail_connection else contextlib.nullcontext():
        for start in range(0, len(ids), CHUNK):
            for party in _chunk(ids[start:start + CHUNK]):
                values = letter_values(party)
                text = template_render(body_t, values, autoescape=False)
                title = " ".join(template_render(subject_t, values, autoescape=False).split())[:200]
                content = document_render_pdf(template_code=template_code, record=party, source=source, head=head,
                                              extra={"body": text, "subject": title})
                filename = kind.filename(party)
                key, title = record_key(party), title or document_title(template_code, party)
                with transaction.atomic():  # a merge run again with the same subject: a new version of the letter
                    document_store_bytes(actor=actor, key=key, filename=filename, content=content, title=title,
                                         category_code=category, document=previous_document(key, title))
                counts["documents"] += 1
                if send_email:
                    counts[_email(party, title, text, filename, content, segment, mail_connection)] += 1
            done = min(start + CHUNK, len(ids))
            progress(2 + int(96 * done / max(len(ids), 1)), _("%(done)d de %(total)d cartas generadas") % {
                "done": done, "total": len(ids)})
    with transaction.atomic():
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="mail_merge", obj=segment,
                           changes={"asunto": subject[:200], "plantilla": template_code, **counts})
        publish("documents.mail_merge.done", segment=segment.pk, **counts)
    return {"segment": segment.pk, "parties": len(ids), **counts}


def mail_merge_start(*, actor, segment, subject: str, body_template: str, template_code: str = "letter",
                     send_email: bool = True):
    """Checks the texts and the segment, then runs the merge as a background job; returns the JobRun."""
    from apps.documents.tasks_generation import mail_merge_job
    from apps.jobs.services.runs import job_start

    mail_merge_check(subject=subject, body_template=body_template, template_code=template_code)
    _segment_party_ids(segment, actor)
    return job_start(actor=actor, task=mail_merge_job, label=_("Combinar correspondencia: «%(name)s»") % {
        "name": segment.name}, params={"segment_id": segment.pk, "subject": subject, "body_template": body_template,
                                       "template_code": template_code, "send_email": bool(send_email)})

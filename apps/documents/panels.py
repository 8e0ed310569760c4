"""The «Documentos» panel of a record page: its frame (templates/documents/_panel.html, no query: the record
page's own query count stays as it was) loads its body after the page (_panel_body.html from
views.uploads.panel_view): the record's documents, and for whoever may change the record the drop zone
(several files at once, a progress bar each: static/documents/upload.js), «nueva versión» and delete.
The body reads 3 queries whatever the number of documents, after the record check."""
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.documents.access import may_view_record, passes_narrower_rule, split_key
from apps.documents.choices import EXTENSIONS, FileType
from apps.documents.models import DocumentCategory, DocumentSettings
from apps.documents.selectors import SOON_DAYS, record_documents

PANEL_ROWS = 50


def accept_attribute(config: DocumentSettings) -> str:
    """The file chooser's hint (the server still reads the bytes)."""
    extensions = {EXTENSIONS[FileType(code)] for code in config.allowed_types if code in FileType.values}
    if FileType.JPEG in config.allowed_types:
        extensions.add(".jpeg")
    return ",".join(sorted(extensions))


def _urls(key: str) -> dict:
    return {"panel_url": f"{reverse('documents:panel')}?key={key}",
            "list_url": f"{reverse('documents:document-list')}?key={key}"}


def panel_frame(user, key: str, *, next_url: str = "") -> dict | None:
    """The frame of the panel on a record page that has already checked `user` may view the record: only the
    kind's narrower rule is applied here (None: no panel)."""
    if split_key(key) is None or not getattr(user, "is_authenticated", False):
        return None
    if not passes_narrower_rule(user, key):
        return None
    return {"record_key": key, "next": next_url, **_urls(key)}


def panel_context(user, key: str, *, next_url: str = "") -> dict | None:
    """What the panel's body shows for record `key`, or None when `user` may not view the record."""
    parts = split_key(key)
    if parts is None or not getattr(user, "is_authenticated", False) or not may_view_record(user, key):
        return None
    rows = list(record_documents(key)[:PANEL_ROWS + 1])
    config = DocumentSettings.current()
    app_label, model = parts[0].split(".")
    can_edit = user.has_perm(f"{app_label}.change_{model}")  # viewing is established above
    categories = []
    if can_edit:
        categories = list(DocumentCategory.objects.filter(is_active=True).filter(
            Q(record_kinds=[]) | Q(record_kinds__contains=[parts[0]])).order_by("name"))
    return {
        "record_key": key, "next": next_url, "documents": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS,
        "can_edit": can_edit,
        "categories": categories, "accept": accept_attribute(config), "max_mb": config.max_upload_mb,
        "max_bytes": config.max_upload_bytes, "today": timezone.localdate(), "soon_days": SOON_DAYS,
        "upload_url": reverse("documents:upload"), **_urls(key),
    }

from apps.documents.models.categories import DocumentCategory, DocumentSettings
from apps.documents.models.documents import Document, DocumentVersion
from apps.documents.models.templates import DocumentTemplate, DocumentTemplateRevision

__all__ = ["Document", "DocumentCategory", "DocumentSettings", "DocumentTemplate", "DocumentTemplateRevision",
           "DocumentVersion"]

"""What documents put in the global search: a document's title, category and the text of its current
version (PDF text, Word/Excel text, plain text), for whoever may view the record it hangs on
(apps.documents.access.visible_documents: each kind's own rule, in SQL). Deleted documents leave the index
(the default manager hides them); every upload, new version, deletion and purge refreshes the entry."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.documents.access import visible_documents
from apps.documents.models import Document
from apps.search.sources import SearchSource, register_source

register_source(SearchSource(
    kind="document", label=_("Documentos"), model=Document, title="title",
    subtitle=("category__name", "current_version__original_name"), body=("current_version__text",),
    url=lambda document: reverse("documents:document-detail", args=[document.pk]), visible=visible_documents,
    icon="bi-file-earmark-text", order=80, select_related=("category", "current_version"),
))

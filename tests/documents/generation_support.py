"""Helpers of the generated-documents tests: a PDF's text (pypdf, installed with xhtml2pdf) and a record's
stored documents."""
import io

import pytest

from apps.documents.selectors import record_documents
from apps.documents.services.generation_kinds import record_key


def pdf_text(content: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def documents_of(record) -> list:
    return list(record_documents(record_key(record)))

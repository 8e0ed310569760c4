"""Attachments on comments (issue 9 item 2, "attachments through documents"): files sent with a comment become
documents of the commented record, listed under the comment with their download link; a refused file (a
disguised executable, more than five files, a user who may read the record but not change it) leaves neither
comment nor document nor file."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.collaboration.errors import CollaborationError
from apps.collaboration.models import Comment
from apps.collaboration.services.comments import comment_add
from apps.documents.errors import DocumentError
from apps.documents.models import Document
from tests.conftest import host_client
from tests.documents.conftest import EXE, PDF, client_party, media, stored_files  # noqa: F401  (fixtures)

THREAD = "/colaboracion/comentarios/"
API = "/api/v1/collaboration/comments/"


def _pdf(name="parte-amistoso.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def key(client_party):  # noqa: F811
    return f"crm.party.{client_party.pk}"


def test_a_file_sent_with_a_comment_is_a_document_of_the_record_listed_under_it(media, tenants, users_a, key,  # noqa: F811
                                                                                client_party):  # noqa: F811
    comercial = users_a["comercial"]
    client = host_client(tenants.alfa_host, comercial)
    response = client.post(THREAD, {"key": key, "body": "Adjunto el parte firmado", "attachments": [_pdf()]})
    assert response.status_code == 200
    comment = Comment.objects.get()
    document = Document.objects.get()
    assert list(comment.attachments.all()) == [document]
    assert document.record_key == key and document.title == "parte-amistoso"
    assert document.current_version.mime_type == "application/pdf" and len(stored_files(media)) == 1
    html = response.content.decode()
    assert "parte-amistoso" in html and f"/documentos/versiones/{document.current_version.pk}/descargar/" in html
    download = client.get(f"/documentos/versiones/{document.current_version.pk}/descargar/")
    assert download.status_code in (200, 302)


def test_a_disguised_executable_leaves_no_comment_no_document_and_no_file(media, tenants, users_a, key):  # noqa: F811
    client = host_client(tenants.alfa_host, users_a["comercial"])
    fake = SimpleUploadedFile("factura.pdf", EXE, content_type="application/pdf")
    response = client.post(THREAD, {"key": key, "body": "Ver adjunto", "attachments": [_pdf(), fake]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ver adjunto" in html and "ejecutable" in html.lower()
    assert not Comment.objects.exists() and not Document.all_objects.exists() and stored_files(media) == []


def test_a_reader_who_may_not_change_the_record_comments_but_cannot_attach(media, tenants, users_a, key):  # noqa: F811
    reader = users_a["contabilidad"]
    with pytest.raises(DocumentError) as refused:
        comment_add(actor=reader, key=key, body="Con adjunto", files=[_pdf()])
    assert refused.value.status == 403
    assert not Comment.objects.exists() and not Document.all_objects.exists()
    assert comment_add(actor=reader, key=key, body="Sin adjunto").attachments.count() == 0


def test_more_than_five_files_are_refused(media, users_a, key):  # noqa: F811
    with pytest.raises(CollaborationError, match="5 archivos como máximo"):
        comment_add(actor=users_a["comercial"], key=key, body="Muchos", files=[_pdf(f"{n}.pdf") for n in range(6)])
    assert not Comment.objects.exists() and stored_files(media) == []


def test_the_api_takes_files_as_multipart_and_lists_them(media, tenants, users_a, key):  # noqa: F811
    client = host_client(tenants.alfa_host, users_a["comercial"])
    created = client.post(API, {"key": key, "body": "Por API", "attachments": [_pdf("poliza.pdf")]})
    assert created.status_code == 201, created.content
    attachment = created.json()["attachments"][0]
    assert attachment["title"] == "poliza" and attachment["download_url"].endswith(f"/documents/{attachment['id']}/download/")
    thread = client.get(API, {"key": key}).json()["results"]
    assert thread[0]["attachments"] == [attachment]

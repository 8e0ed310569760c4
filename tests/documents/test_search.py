"""Documents in the global search (issue 11 item 4/5): a word of a PDF's text finds its document, only for
users who may view the record it hangs on; a deleted document leaves the index. Indexing runs on commit
(Celery eager here, as with no REDIS_URL)."""
import pytest

from apps.documents.services.documents import document_delete
from apps.search.selectors import search_for
from apps.search.services.indexing import search_reindex
from tests.conftest import host_client
from tests.documents.conftest import upload
from tests.search.conftest import committed, eager, titles  # noqa: F401  (fixtures)
from apps.documents.samples import sample_pdf

CONDITIONS = sample_pdf(["Condiciones particulares del seguro de hogar", "Cláusula del limonero centenario"])
DEED = sample_pdf(["Escritura de compraventa", "Finca con limonero y olivos"])


@pytest.fixture
def indexed(committed, media, client_party, other_party, users_a):
    with committed():
        mine = upload(users_a["comercial"], client_party, CONDITIONS, name="condiciones.pdf",
                      title="Condiciones de Marta")
        theirs = upload(users_a["admin"], other_party, DEED, name="escritura.pdf", title="Escritura de Raúl")
    return mine, theirs


def test_a_word_of_the_pdf_text_finds_the_document_for_who_may_view_its_record(indexed, users_a, tenants):
    assert titles(search_for(users_a["comercial"], "limonero"), "document") == ["Condiciones de Marta"]
    assert sorted(titles(search_for(users_a["contabilidad"], "limonero"), "document")) == [
        "Condiciones de Marta", "Escritura de Raúl"]
    assert titles(search_for(users_a["rrhh"], "limonero"), "document") == []
    assert titles(search_for(users_a["comercial"], "compraventa"), "document") == []  # not even counted
    page = host_client(tenants.alfa_host, users_a["comercial"]).get("/buscar/?q=centenario").content.decode()
    assert "Condiciones de Marta" in page and f"/documentos/{indexed[0].pk}/" in page
    assert "Escritura de Raúl" not in page


def test_a_deleted_document_leaves_the_index_and_reindex_keeps_it_out(indexed, committed, users_a):
    mine, _theirs = indexed
    with committed():
        document_delete(actor=users_a["comercial"], document=mine)
    assert titles(search_for(users_a["admin"], "limonero"), "document") == ["Escritura de Raúl"]
    search_reindex(kinds=["document"])
    assert titles(search_for(users_a["admin"], "centenario"), "document") == []

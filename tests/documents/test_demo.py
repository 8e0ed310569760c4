"""The demo seeder (issue 11 item 5): the usual categories and small generated files on demo records, once."""
from apps.documents.demo import documents_demo_seed
from apps.documents.models import Document, DocumentCategory
from tests.documents.conftest import stored_files


def test_the_demo_adds_categories_and_small_files_once(media, client_party, admin_a):
    done = documents_demo_seed(admin=admin_a)
    assert done == {"document_categories": 6, "documents": 1}
    assert sorted(DocumentCategory.objects.values_list("name", flat=True)) == [
        "Contrato", "DNI/NIE", "Factura", "Póliza", "Recibo", "Siniestro - fotos"]
    dni = Document.objects.get()
    assert dni.category.code == "dni-nie" and dni.expires_on is not None and dni.record_key.startswith("crm.party.")
    assert "Marta Ortega Ruiz" in dni.current_version.text and dni.current_version.mime_type == "application/pdf"
    assert documents_demo_seed(admin=admin_a) == {"document_categories": 0}
    assert len(stored_files(media)) == 1

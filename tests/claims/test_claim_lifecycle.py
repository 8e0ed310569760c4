"""The state machine (every illegal transition refused with 409), reserve and payments (over the
reserve only with approval; paid total and reserve left), tasks with the due reminder, documents
typed by their bytes, third parties added and removed later."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.claims.choices import CLAIM_TRANSITIONS, ClaimState
from apps.claims.errors import ClaimError
from apps.claims.models import Claim, ClaimDocument, ClaimPayment, ReserveChange
from apps.claims.selectors import overdue_tasks
from apps.claims.services.claims import claim_third_party_add, claim_third_party_remove, claim_transition
from apps.claims.services.payments import claim_payment_add, claim_reserve_set, reserve_left
from apps.claims.services.work import claim_document_add, claim_task_add, claim_task_done, claim_tasks_notify
from apps.notifications.models import Notification
from tests.claims.test_claim_support import (  # noqa: F401  (fixtures)
    D, date, holder, media, open_claim, pcatalog, pline, policy,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def accepted_claim(actor, policy, reserve="1000", **kwargs):
    claim = open_claim(actor, policy, reserve=D(reserve), **kwargs)
    claim_transition(actor=actor, claim=claim, to_state="in_review")
    return claim_transition(actor=actor, claim=claim, to_state="accepted")


def test_every_illegal_transition_is_refused(policy, admin_a):
    claim = open_claim(admin_a, policy)
    for state in ClaimState.values:
        Claim.objects.filter(pk=claim.pk).update(state=state)
        for target in ClaimState.values:
            if target in CLAIM_TRANSITIONS[ClaimState(state)]:
                continue
            with pytest.raises(ClaimError) as info:
                claim_transition(actor=admin_a, claim=claim, to_state=target, reason="x")
            assert (info.value.code, info.value.status) == ("claim_invalid_transition", 409)
            assert Claim.objects.get(pk=claim.pk).state == state
    Claim.objects.filter(pk=claim.pk).update(state="reported")
    with pytest.raises(ClaimError) as info:
        claim_transition(actor=admin_a, claim=claim, to_state="accepted")
    assert info.value.message == f"El siniestro {claim.number} está «Declarado»: no puede pasar a «Aceptado»."
    assert claim.state_changes.count() == 1


def test_reject_close_reopen(policy, admin_a):
    claim = open_claim(admin_a, policy)
    with pytest.raises(ClaimError) as info:
        claim_transition(actor=admin_a, claim=claim, to_state="rejected")
    assert (info.value.code, info.value.field) == ("claim_reason_required", "reason")
    claim = claim_transition(actor=admin_a, claim=claim, to_state="rejected", reason="Daño preexistente")
    assert claim.rejection_reason == "Daño preexistente"
    claim = claim_transition(actor=admin_a, claim=claim, to_state="closed", today=date(2026, 11, 30))
    assert claim.closed_on == date(2026, 11, 30)
    claim = claim_transition(actor=admin_a, claim=claim, to_state="reopened", reason="Nuevo informe pericial")
    assert (claim.closed_on, claim.rejection_reason, claim.state) == (None, "", "reopened")
    assert [(c.from_state, c.to_state) for c in claim.state_changes.order_by("pk")] == [
        ("", "reported"), ("reported", "rejected"), ("rejected", "closed"), ("closed", "reopened")]
    assert AuditEvent.objects.filter(object_id=str(claim.pk), verb="claim_transition").count() == 3


def test_paid_needs_a_payment(policy, admin_a):
    claim = accepted_claim(admin_a, policy)
    with pytest.raises(ClaimError) as info:
        claim_transition(actor=admin_a, claim=claim, to_state="paid")
    assert info.value.code == "claim_no_payments"
    claim_payment_add(actor=admin_a, claim=claim, amount=D("200"), date=date(2026, 7, 1), payee="policyholder")
    assert claim_transition(actor=admin_a, claim=claim, to_state="paid").state == "paid"


def test_payment_beyond_the_reserve_needs_approval(policy, admin_a, users_a):
    claim = accepted_claim(admin_a, policy, reserve="1000")
    claim_payment_add(actor=admin_a, claim=claim, amount=D("600"), date=date(2026, 7, 1), payee="repairer",
                      payee_name="Reformas Díaz", concept="Reparación")
    claim.refresh_from_db()
    assert (claim.paid_total, reserve_left(claim)) == (D("600.00"), D("400.00"))
    for approver in (None, users_a["contabilidad"]):  # nobody, or someone without the permission
        with pytest.raises(ClaimError) as info:
            claim_payment_add(actor=admin_a, claim=claim, amount=D("500"), date=date(2026, 7, 2), payee="policyholder",
                              approved_by=approver)
        assert (info.value.code, info.value.status, info.value.field) == ("claim_over_reserve", 409, "amount")
    assert info.value.message.startswith("El pago de 500,00 € supera la reserva: pagado 600,00 € + 500,00 € = "
                                         "1.100,00 €, reserva 1.000,00 € (queda 400,00 €).")
    assert ClaimPayment.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).paid_total == D("600.00")
    payment = claim_payment_add(actor=users_a["siniestros"], claim=claim, amount=D("500"), date=date(2026, 7, 2),
                                payee="policyholder", approved_by=users_a["siniestros"])
    claim.refresh_from_db()
    assert payment.over_reserve_approved_by == users_a["siniestros"]
    assert (claim.paid_total, reserve_left(claim)) == (D("1100.00"), D("-100.00"))
    # exactly up to the reserve needs no approval
    claim_reserve_set(actor=admin_a, claim=claim, amount=D("1500"), reason="Informe pericial")
    claim_payment_add(actor=admin_a, claim=claim, amount=D("400"), date=date(2026, 7, 3), payee="policyholder")
    claim.refresh_from_db()
    assert (claim.paid_total, reserve_left(claim)) == (D("1500.00"), D("0.00"))


def test_payment_only_in_payable_states_and_positive(policy, admin_a):
    claim = open_claim(admin_a, policy, reserve=D("1000"))
    with pytest.raises(ClaimError) as info:
        claim_payment_add(actor=admin_a, claim=claim, amount=D("100"), date=date(2026, 7, 1), payee="policyholder")
    assert (info.value.code, info.value.status) == ("claim_payment_state", 409)
    claim = accepted_claim(admin_a, policy, cause="fire")
    with pytest.raises(ClaimError):
        claim_payment_add(actor=admin_a, claim=claim, amount=D("0"), date=date(2026, 7, 1), payee="policyholder")
    with pytest.raises(ClaimError):
        claim_payment_add(actor=admin_a, claim=claim, amount=1.5, date=date(2026, 7, 1), payee="policyholder")
    assert not ClaimPayment.objects.exists()


def test_reserve_history_and_limits(policy, admin_a):
    claim = accepted_claim(admin_a, policy, reserve="1000")
    claim_reserve_set(actor=admin_a, claim=claim, amount="1.250,50".replace(".", ""), reason="Valoración del perito")
    claim_payment_add(actor=admin_a, claim=claim, amount=D("800"), date=date(2026, 7, 1), payee="policyholder")
    with pytest.raises(ClaimError) as info:
        claim_reserve_set(actor=admin_a, claim=claim, amount=D("700"), reason="Rebaja")
    assert (info.value.code, info.value.message) == (
        "claim_reserve_below_paid", "La reserva (700,00 €) no puede ser menor que lo ya pagado (800,00 €).")
    with pytest.raises(ClaimError):
        claim_reserve_set(actor=admin_a, claim=claim, amount=D("-1"), reason="x")
    with pytest.raises(ClaimError):
        claim_reserve_set(actor=admin_a, claim=claim, amount=D("900"), reason=" ")
    assert list(ReserveChange.objects.filter(claim=claim).order_by("pk").values_list("previous", "amount")) == [
        (D("0"), D("1000")), (D("1000"), D("1250.50"))]
    assert Claim.objects.get(pk=claim.pk).reserve == D("1250.50")


def test_tasks_overdue_and_reminder(policy, admin_a, users_a):
    claim = open_claim(admin_a, policy, handler=users_a["siniestros"])
    late = claim_task_add(actor=admin_a, claim=claim, title="Pedir factura", due_date=date(2026, 11, 20))
    claim_task_add(actor=admin_a, claim=claim, title="Llamar al perito", due_date=date(2026, 12, 1),
                   assignee=users_a["siniestros"])
    claim_task_add(actor=admin_a, claim=claim, title="Cerrar expediente", due_date=date(2026, 12, 20))
    assert late.assignee == users_a["siniestros"]  # the handler by default
    assert [t.title for t in overdue_tasks(today=date(2026, 12, 1))] == ["Pedir factura"]
    assert claim_tasks_notify(today=date(2026, 12, 1)) == 2
    notice = Notification.objects.get(recipient=users_a["siniestros"])
    assert notice.title == "Tareas de siniestros: 2 pendientes, 1 vencidas"
    assert f"{claim.number}: Pedir factura (20/11/2026)" in notice.body
    claim_task_done(actor=admin_a, task=late)
    with pytest.raises(ClaimError) as info:
        claim_task_done(actor=admin_a, task=late)
    assert (info.value.code, info.value.status) == ("claim_task_done", 409)
    assert list(overdue_tasks(today=date(2026, 12, 1))) == []


@pytest.mark.parametrize("name, content, expected", [
    ("parte.pdf", PDF, "application/pdf"), ("foto.png", PNG, "image/png"), ("foto.jpg", JPEG, "image/jpeg"),
    ("foto.heic", HEIC, "image/heic"),
    ("informe.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_documents_are_typed_by_their_bytes(policy, admin_a, media, name, content, expected):
    claim = open_claim(admin_a, policy)
    document = claim_document_add(actor=admin_a, claim=claim, file=SimpleUploadedFile(name, content, "text/plain"),
                                  description="Adjunto")
    assert (document.content_type, document.size, document.name) == (expected, len(content), name)
    assert document.file.read() == content


def test_documents_refused(policy, admin_a, media):
    claim = open_claim(admin_a, policy)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "hola")
    for name, content in (("falso.pdf", b"esto no es un PDF"), ("programa.exe", b"MZ\x90\x00"),
                          ("datos.docx", plain_zip.getvalue()), ("vacio.pdf", b"")):
        with pytest.raises(ClaimError) as info:
            claim_document_add(actor=admin_a, claim=claim, file=SimpleUploadedFile(name, content, "application/pdf"))
        assert info.value.code == "claim_document_type" and info.value.field == "file"
    assert info.value.message == "El archivo está vacío."
    big = SimpleUploadedFile("grande.pdf", PDF + b"0" * (20 * 1024 * 1024), "application/pdf")
    with pytest.raises(ClaimError) as info:
        claim_document_add(actor=admin_a, claim=claim, file=big)
    assert (info.value.code, info.value.message) == ("claim_document_size",
                                                     "El archivo ocupa 20.0 MB: el máximo es 20 MB.")
    assert not ClaimDocument.objects.exists()


def test_third_parties_added_and_removed_later(policy, admin_a):
    claim = open_claim(admin_a, policy)
    party = claim_third_party_add(actor=admin_a, claim=claim, data={"name": "Ana Gil", "role": "witness",
                                                                    "phone": "600111222"})
    assert claim.third_parties.get().name == "Ana Gil"
    claim_third_party_remove(actor=admin_a, third_party=party)
    assert not claim.third_parties.exists()
    verbs = list(AuditEvent.objects.filter(object_id=str(claim.pk)).order_by("id").values_list("verb", flat=True))
    assert verbs[-2:] == ["claim_third_party_add", "claim_third_party_remove"]

"""Segments and e-mail campaigns: consent respected, per-recipient status and language,
idempotent sending, the background job, and the pages."""
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.crm.models import Address, Campaign, CampaignRecipient, Consent, ContactPoint, Party, Segment, Tag
from apps.crm.services.campaigns import campaign_create, campaign_send, campaign_send_start
from apps.crm.services.consents import consent_grant, consent_withdraw
from apps.crm.services.segments import segment_create, segment_filters_clean, segment_parties
from apps.jobs.choices import JobStatus
from apps.jobs.models import JobRun
from tests.conftest import host_client


def make_party(first, last, *, email=None, language="es", manager=None, kind="person", tax_id=None, **extra):
    name = f"{first} {last}" if kind == "person" else first
    party = Party.objects.create(display_name=name, kind=kind, first_name=first if kind == "person" else "",
                                 last_name=last if kind == "person" else "", company_name=first if kind == "company" else "",
                                 tax_id=tax_id, preferred_language=language, account_manager=manager, **extra)
    if email:
        ContactPoint.objects.create(party=party, kind="email", value=email, normalized=email.lower(), is_primary=True)
    return party


def marketing(actor, party):
    return consent_grant(actor=actor, party=party, purpose="marketing", channel="email", evidence="Casilla web")


@pytest.fixture
def audience(admin_a, users_a):
    """Eight people and one company; the segment is «people»."""
    manager = users_a["comercial"]
    manager.first_name, manager.last_name = "Marta", "Comercial"
    manager.save()
    people = {
        "ana": make_party("Ana", "Ruiz", email="ana@example.es", manager=manager),
        "joan": make_party("Joan", "Puig", email="joan@example.cat", language="ca", manager=manager),
        "mary": make_party("Mary", "Smith", email="mary@example.co.uk", language="en", manager=users_a["direccion"]),
        "withdrawn": make_party("Pedro", "Gil", email="pedro@example.es", manager=manager),
        "never": make_party("Rosa", "Mora", email="rosa@example.es", manager=manager),
        "no_email": make_party("Luis", "Sanz", manager=manager),
        "bounce": make_party("Eva", "Roca", email="rebota@example.es", manager=manager),
        "gone": make_party("Anónimo", "X", email="gone@example.es", manager=manager, anonymised_at=timezone.now()),
    }
    company = make_party("Talleres Ruiz S.L.", "", kind="company", email="info@talleres.es", manager=manager)
    for key in ("ana", "joan", "mary", "withdrawn", "no_email", "bounce"):
        marketing(admin_a, people[key])
    # A consent left from before the erasure must not bring an anonymised party back.
    Consent.objects.create(party=people["gone"], purpose="marketing", granted_at=timezone.now(), channel="email",
                           evidence="x")
    marketing(admin_a, company)
    consent_withdraw(actor=admin_a, consent=Consent.objects.get(party=people["withdrawn"]), channel="phone")
    consent_grant(actor=admin_a, party=people["never"], purpose="contract", channel="email", evidence="Póliza")
    segment = segment_create(actor=admin_a, data={"name": "Particulares", "filters": {"kind": ["person"]}})
    return {"segment": segment, "company": company, **people}


@pytest.fixture
def bounces(monkeypatch):
    """The mail server refuses one address."""
    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if "rebota@example.es" in self.to:
            raise ConnectionRefusedError("550 buzón inexistente")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)


BODY = "{% load i18n %}Hola {{ nombre }}: su gestor {{ gestor }} le escribe. {% translate 'January' %}."


def test_withdrawn_consent_excludes_from_the_campaign(admin_a, audience, bounces):
    campaign = campaign_create(actor=admin_a, data={"name": "Renovación hogar", "segment": audience["segment"],
                                                    "subject": "{{ nombre }}, su hogar", "body": BODY})
    result = campaign_send(actor=admin_a, campaign=campaign)

    statuses = dict(CampaignRecipient.objects.filter(campaign=campaign).values_list("party__first_name", "status"))
    assert statuses == {"Ana": "sent", "Joan": "sent", "Mary": "sent", "Pedro": "no_consent", "Rosa": "no_consent",
                        "Luis": "no_email", "Eva": "failed"}
    assert "pedro@example.es" not in [address for message in mail.outbox for address in message.to]
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.es", "joan@example.cat", "mary@example.co.uk"]
    assert result["sent"] == 3 and result["no_consent"] == 2 and result["no_email"] == 1 and result["failed"] == 1
    failed = CampaignRecipient.objects.get(campaign=campaign, status="failed")
    assert "550 buzón inexistente" in failed.error and failed.email == "rebota@example.es"
    campaign.refresh_from_db()
    assert campaign.status == "sent" and campaign.sent_at is not None


def test_each_recipient_gets_the_text_in_its_language(admin_a, audience):
    campaign = campaign_create(actor=admin_a, data={"name": "Enero", "segment": audience["segment"],
                                                    "subject": "{{ nombre }}, novedades", "body": BODY})
    campaign_send(actor=admin_a, campaign=campaign)
    by_address = {m.to[0]: m for m in mail.outbox}
    ana, joan, mary = by_address["ana@example.es"], by_address["joan@example.cat"], by_address["mary@example.co.uk"]
    assert ana.subject == "Ana, novedades" and ana.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Hola Ana: su gestor Marta Comercial le escribe. enero." in ana.body
    assert "Hola Joan" in joan.body and "gener." in joan.body
    assert "Hola Mary: su gestor Dirección" in mary.body and "January." in mary.body
    assert ana.extra_headers["Content-Language"] == "es" and joan.extra_headers["Content-Language"] == "ca"
    languages = dict(CampaignRecipient.objects.filter(campaign=campaign).values_list("party__first_name", "language"))
    assert languages["Joan"] == "ca" and languages["Mary"] == "en" and languages["Ana"] == "es"
    assert "BAJA" in ana.body  # the opt-out every commercial e-mail must carry (LSSI art. 21)


def test_names_are_escaped_in_html_but_not_in_plain_text(admin_a, users_a):
    party = make_party("<b>O'Brien</b>", "Díaz", email="obrien@example.es")
    marketing(admin_a, party)
    segment = segment_create(actor=admin_a, data={"name": "Uno", "filters": {}})
    campaign = campaign_create(actor=admin_a, data={"name": "x", "segment": segment, "subject": "Hola",
                                                    "body": "Hola {{ nombre }}"})
    campaign_send(actor=admin_a, campaign=campaign)
    message = mail.outbox[0]
    assert "Hola <b>O'Brien</b>" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;O&#x27;Brien&lt;/b&gt;" in html and "<b>O'Brien" not in html


def test_second_send_is_idempotent_and_an_interrupted_send_resumes(admin_a, audience):
    campaign = campaign_create(actor=admin_a, data={"name": "Verano", "segment": audience["segment"],
                                                    "subject": "Hola", "body": "Hola {{ nombre }}"})
    # A worker died after the first recipient: the campaign is still «sending».
    campaign.status = "sending"
    campaign.save()
    CampaignRecipient.objects.create(campaign=campaign, party=audience["ana"], email="ana@example.es", language="es",
                                     status="sent")
    first = campaign_send(actor=admin_a, campaign=campaign)
    assert "ana@example.es" not in [m.to[0] for m in mail.outbox]
    # Joan, Mary and Eva now; Ana was e-mailed by the run that died.
    assert len(mail.outbox) == 3 and first["processed"] == 6 and first["sent"] == 4
    second = campaign_send(actor=admin_a, campaign=campaign)
    assert len(mail.outbox) == 3 and second["processed"] == 0 and second["already_sent"] is True
    assert CampaignRecipient.objects.filter(campaign=campaign).count() == 7


def test_send_button_runs_the_background_job(client_a, admin_a, audience, django_capture_on_commit_callbacks):
    campaign = campaign_create(actor=admin_a, data={"name": "Otoño", "segment": audience["segment"],
                                                    "subject": "Hola", "body": "Hola {{ nombre }}"})
    with django_capture_on_commit_callbacks(execute=not settings.REDIS_URL):
        response = client_a.post(f"/crm/campanas/{campaign.pk}/enviar/")
    assert response.status_code == 302
    job = JobRun.objects.get(task_name="apps.crm.tasks.campaign_send")
    assert job.params == {"campaign_id": campaign.pk} and job.user == admin_a
    if not settings.REDIS_URL:
        job.refresh_from_db()
        campaign.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and job.progress == 100 and job.result["sent"] == 4
        assert campaign.status == "sent" and len(mail.outbox) == 4
        page = client_a.get(f"/crm/campanas/{campaign.pk}/").content.decode()
        assert 'role="progressbar"' in page and f'data-job-id="{job.pk}"' in page
        for text in ("Ana Ruiz", "Enviado", "Excluido: sin consentimiento", "Excluido: sin correo"):
            assert text in page, text
        export = b"".join(client_a.get(f"/crm/campanas/{campaign.pk}/?estado=no_consent&export=csv")
                          .streaming_content).decode("utf-8-sig")
        assert "Pedro Gil;pedro@example.es;es;Excluido: sin consentimiento" in export and "Ana Ruiz" not in export
        with pytest.raises(ValidationError, match="ya se envió"):
            campaign_send_start(actor=admin_a, campaign=campaign)


def test_a_comercial_campaign_reaches_only_its_clients(tenants, users_a, audience):
    comercial = users_a["comercial"]
    campaign = campaign_create(actor=comercial, data={"name": "Mía", "segment": audience["segment"],
                                                      "subject": "Hola", "body": "Hola"})
    campaign_send(actor=comercial, campaign=campaign)
    assert "mary@example.co.uk" not in [m.to[0] for m in mail.outbox]  # managed by Dirección
    assert not CampaignRecipient.objects.filter(campaign=campaign, party=audience["mary"]).exists()
    page = host_client(tenants.alfa_host, comercial).get(f"/crm/campanas/{campaign.pk}/")
    assert page.status_code == 200 and "Ana Ruiz" in page.content.decode()


def test_campaign_template_errors_are_refused_at_save(admin_a, audience):
    with pytest.raises(ValidationError) as excinfo:
        campaign_create(actor=admin_a, data={"name": "Rota", "segment": audience["segment"], "subject": "Hola",
                                             "body": "Hola {% if %}"})
    assert "La plantilla no es válida" in excinfo.value.message_dict["body"][0]
    assert not Campaign.objects.filter(name="Rota").exists()


# --- Segments ---------------------------------------------------------------------------------

def test_segment_filters_select_the_right_parties(admin_a, users_a):
    vip, family = Tag.objects.create(name="VIP"), Tag.objects.create(name="Familia numerosa")
    a = make_party("Ana", "Ruiz", birth_date=date(1975, 3, 1), manager=users_a["comercial"], status="client")
    b = make_party("Joan", "Puig", birth_date=date(1990, 6, 1), language="ca", status="client")
    c = make_party("Rosa", "Mora", birth_date=date(1960, 1, 1), status="prospect")
    make_party("Talleres Gil", "", kind="company", status="client")
    a.tags.add(vip)
    b.tags.add(family)
    Address.objects.create(party=a, street="Colón 1", postal_code="46004", city="Valencia", province="46")
    Address.objects.create(party=c, street="Alcalá 1", postal_code="28013", city="Madrid", province="28")

    def names(filters):
        return sorted(p.first_name or p.company_name for p in segment_parties(segment_filters_clean(filters)))

    assert names({"kind": "person", "status": ["client"]}) == ["Ana", "Joan"]
    assert names({"tags": ["vip", "Familia numerosa"]}) == ["Ana", "Joan"]  # any of them, by name or id
    assert names({"tags": [vip.pk]}) == ["Ana"]
    assert names({"province": ["Valencia", "28"]}) == ["Ana", "Rosa"]
    assert names({"birth_date_from": "1970-01-01", "birth_date_to": "1980-12-31"}) == ["Ana"]
    assert names({"language": ["ca"]}) == ["Joan"]
    assert names({"account_manager": [users_a["comercial"].pk]}) == ["Ana"]


def test_unknown_or_wrong_segment_filters_are_refused_at_save(admin_a):
    with pytest.raises(ValidationError) as excinfo:
        segment_create(actor=admin_a, data={"name": "Raro", "filters": {"color": "rojo", "kind": ["alien"],
                                                                          "province": ["Atlántida"]}})
    messages = excinfo.value.message_dict["filters"]
    assert any("Filtro desconocido «color»" in m and "kind" in m for m in messages)
    assert any("«alien» no es un valor admitido" in m for m in messages)
    assert any("no se reconoce «Atlántida»" in m for m in messages)
    with pytest.raises(ValidationError, match="productos contratados"):
        segment_create(actor=admin_a, data={"name": "Con autos", "filters": {"products": ["autos"]}})
    assert not Segment.objects.exists()


def test_segment_pages_preview_and_export_only_consenting_parties(client_a, admin_a, users_a):
    tag = Tag.objects.create(name="VIP")
    yes = make_party("Ana", "Ruiz", email="ana@example.es")
    no = make_party("Rosa", "Mora", email="rosa@example.es")
    for party in (yes, no):
        party.tags.add(tag)
    marketing(admin_a, yes)
    preview = client_a.post("/crm/segmentos/contar/", {"name": "x", "tags": [tag.pk]}).content.decode()
    assert "<strong>2</strong> clientes" in preview and "<strong>1</strong> acepta" in preview
    response = client_a.post("/crm/segmentos/nuevo/", {"name": "VIP", "tags": [tag.pk], "kind": ["person"]})
    assert response.status_code == 302
    segment = Segment.objects.get(name="VIP")
    assert segment.filters == {"kind": ["person"], "tags": [tag.pk]}
    page = client_a.get(f"/crm/segmentos/{segment.pk}/").content.decode()
    assert "Ana Ruiz" in page and "Rosa Mora" in page
    export = b"".join(client_a.get(f"/crm/segmentos/{segment.pk}/?export=csv").streaming_content).decode()
    assert "Ana Ruiz" in export and "Rosa Mora" not in export
    assert client_a.get("/crm/segmentos/").status_code == 200
    assert client_a.get("/crm/campanas/").status_code == 200
    assert client_a.get("/crm/campanas/nueva/").status_code == 200


def test_campaign_pages_need_permissions(tenants, users_a):
    segment = Segment.objects.create(name="Todos")
    campaign = Campaign.objects.create(name="Prueba", segment=segment, subject="Hola", body="Hola")
    hr = host_client(tenants.alfa_host, users_a["rrhh"])
    assert hr.get("/crm/campanas/").status_code == 403
    assert hr.post(f"/crm/campanas/{campaign.pk}/enviar/").status_code == 403
    readonly = host_client(tenants.alfa_host, users_a["contabilidad"])  # CRM view only
    assert readonly.get(f"/crm/campanas/{campaign.pk}/").status_code == 200
    assert readonly.post(f"/crm/campanas/{campaign.pk}/enviar/").status_code == 403
    assert readonly.get("/crm/segmentos/nuevo/").status_code == 403
    assert not JobRun.objects.exists()


def test_list_and_detail_pages_have_pinned_query_counts(client_a, admin_a, users_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one_more_of_everything(i):
        tag = Tag.objects.create(name=f"Etiqueta {i}")
        segment = Segment.objects.create(name=f"Segmento {i}", filters={"tags": [tag.pk],
                                                                          "account_manager": [users_a["comercial"].pk]})
        campaign = Campaign.objects.create(name=f"Campaña {i}", segment=segment, subject="Hola", body="Hola",
                                           status="sent")
        party = make_party(f"Cliente{i}", "Prueba", email=f"c{i}@example.es")
        CampaignRecipient.objects.create(campaign=campaign, party=party, email=party.contacts.get().value,
                                         status="sent")
        return campaign

    first = one_more_of_everything(0)
    pages = ["/crm/segmentos/", "/crm/campanas/", f"/crm/campanas/{first.pk}/"]
    for url in pages:
        client_a.get(url)
    with CaptureQueriesContext(connection) as few:
        for url in pages:
            assert client_a.get(url).status_code == 200
    for i in range(1, 8):
        one_more_of_everything(i)
        for j in range(5):
            party = make_party(f"Extra{i}{j}", "Prueba")
            CampaignRecipient.objects.create(campaign=first, party=party, status="no_email")
    with CaptureQueriesContext(connection) as many:
        for url in pages:
            assert client_a.get(url).status_code == 200
    assert len(few) == len(many), [q["sql"][:90] for q in many.captured_queries]


def test_edit_pages_render_and_sent_campaigns_cannot_be_edited(client_a, admin_a):
    segment = segment_create(actor=admin_a, data={"name": "Valencia", "filters": {"province": ["46"]}})
    page = client_a.get(f"/crm/segmentos/{segment.pk}/editar/").content.decode()
    assert 'value="46" id="id_province_45" checked' in page and 'value="Valencia"' in page
    response = client_a.post("/crm/campanas/nueva/", {"name": "Primavera", "segment": segment.pk, "subject": "Hola",
                                                      "body": "Hola {{ nombre }}"})
    campaign = Campaign.objects.get(name="Primavera")
    assert response.status_code == 302 and campaign.status == "draft" and campaign.created_by == admin_a
    assert client_a.get(f"/crm/campanas/{campaign.pk}/editar/").status_code == 200
    Campaign.objects.filter(pk=campaign.pk).update(status="sent")
    assert client_a.get(f"/crm/campanas/{campaign.pk}/editar/").status_code == 302

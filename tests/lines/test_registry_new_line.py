"""A new line registered from a test app appears in quotes without core changes.

A ninth line, «mascotas» (pets), is defined here and only here: its risk form, a row form for
the owner's other pets, its rating rules and template tariff. Registered with register_line and
synced into a Line row, it shows in the new-quote line choices, its risk form renders on step 2,
it rates through quote_create against three insurers, shows on the comparison page and in the
line registry API; and no file under apps/ mentions it.
"""
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import Client

from apps.crm.services.parties import party_create
from apps.insurance.choices import AdviceKind, ConsorcioBasis
from apps.insurance.lines import LineSpec, TariffTemplate, register_line, registered_lines, unregister_line
from apps.insurance.models import Line, Quote
from apps.insurance.rating import Declined, LineRating, money
from apps.insurance.services.lines import lines_sync
from apps.insurance.services.quotes import quote_create
from tests.fixtures.insurance import make_insurer, make_product

D = Decimal
CODE = "mascotas"


class PetRiskForm(forms.Form):
    species = forms.ChoiceField(label="Especie", choices=[("dog", "Perro"), ("cat", "Gato")])
    breed = forms.CharField(label="Raza", max_length=60)
    birth_date = forms.DateField(label="Fecha de nacimiento del animal")
    microchip = forms.CharField(label="Microchip", min_length=15, max_length=15,
                                help_text="Los 15 dígitos del chip de identificación.")
    vet_expenses = forms.BooleanField(label="Gastos veterinarios", required=False)


class OtherPetForm(forms.Form):
    name = forms.CharField(label="Nombre", max_length=40)
    species = forms.ChoiceField(label="Especie", choices=[("dog", "Perro"), ("cat", "Gato")])


def pet_age(data, on_date):
    born = datetime.date.fromisoformat(data["birth_date"])
    return on_date.year - born.year - ((on_date.month, on_date.day) < (born.month, born.day))


def rate_pet(inp):
    age = pet_age(inp.risk, inp.effective_date)
    if age > 9:
        raise Declined(f"No se aseguran animales de más de 9 años ({age})")
    premium = inp.tariff.base_premium * inp.tariff.factor("species", inp.risk["species"])
    premium *= inp.tariff.factor("age", age)
    if inp.risk.get("vet_expenses"):
        premium += inp.tariff.param("vet_expenses")
    return LineRating(net_premium=money(premium), breakdown=[("Especie y edad", f"{premium}")])


def pet_template():
    return TariffTemplate(
        base_premium=D("80.00"), parameters={"vet_expenses": "60"},
        factors=[("species", "dog", None, None, D("1.25")), ("species", "cat", None, None, D("1.00")),
                 ("age", "", D("0"), D("5"), D("1.00")), ("age", "", D("5"), D("10"), D("1.40"))],
        coverages=[("rc", "Responsabilidad civil del animal", "included", D("150000"), "", D("0")),
                   ("vet", "Asistencia veterinaria", "optional", D("2000"), "", D("50"))],
    )


PETS = LineSpec(
    code=CODE, name="Mascotas", dgsfp_class="13", risk_form=PetRiskForm, rate=rate_pet,
    summary=lambda data: f"{data['breed']} ({data['species']}), chip {data['microchip']}",
    tariff_template=pet_template,
    sample_risk=lambda: {"species": "dog", "breed": "Labrador", "birth_date": "2023-05-10",
                         "microchip": "941000024680135", "vet_expenses": True, "others": []},
    row_forms={"others": OtherPetForm}, row_labels={"others": "Otros animales del tomador"},
    consorcio_basis=ConsorcioBasis.NONE, icon="bi-heart", order=900,
)
RISK = {"species": "dog", "breed": "Labrador", "birth_date": "2023-05-10", "microchip": "941000024680135",
        "vet_expenses": True, "others": [{"name": "Misi", "species": "cat"}]}


@pytest.fixture
def pets_line(tenant_a):
    register_line(PETS)
    lines_sync()
    yield PETS
    unregister_line(CODE)


@pytest.fixture
def pet_products(pets_line):
    return [make_product(CODE, make_insurer(name), code=f"PET{n}", scale=scale)
            for n, (name, scale) in enumerate([("Can Seguros", D("1")), ("Felina Mutua", D("0.9")),
                                               ("Huellas Aseguradora", D("1.1"))])]


def test_the_line_is_registered_and_synced(pets_line):
    assert CODE in [spec.code for spec in registered_lines()]
    line = Line.objects.get(code=CODE)
    assert line.name == "Mascotas" and line.ips_applies and line.consorcio_basis == ConsorcioBasis.NONE


def test_it_appears_in_the_new_quote_pages(client_a, pets_line, tenants):
    html = client_a.get("/seguros/proyectos/nuevo/").content.decode()
    assert f'<option value="{CODE}">Mascotas</option>' in html
    party = party_create(actor=None, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz",
                                           "tax_id": "11111111H"})
    step2 = client_a.get(f"/seguros/proyectos/nuevo/riesgo/?client={party.pk}&line={CODE}&effective_date=2026-06-01")
    html = step2.content.decode()
    assert step2.status_code == 200
    for text in ("Mascotas", 'name="risk-microchip"', "Los 15 dígitos del chip de identificación.",
                 'name="others-0-name"', "Otros animales del tomador", 'name="needs-activity_detail"'):
        assert text in html, text


def test_it_rates_through_quote_create_and_shows_on_the_comparison(client_a, pet_products, admin_a):
    party = party_create(actor=None, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz",
                                           "tax_id": "11111111H"})
    quote = quote_create(actor=admin_a, client=party, line_code=CODE, risk=RISK,
                         effective_date=datetime.date(2026, 6, 1), demands_and_needs={"cover_wanted": "RC del perro"},
                         needs_statement="", advice_kind=AdviceKind.OBJECTIVE_ANALYSIS)
    options = list(quote.options.select_related("product__insurer").order_by("rank"))
    # dog 1,25 × age 3 (1,00) × base + 60 € vet: 72 → 150,00 · 80 → 160,00 · 88 → 170,00
    assert [(o.product.insurer.name, o.net_premium) for o in options] == [
        ("Felina Mutua", D("150.00")), ("Can Seguros", D("160.00")), ("Huellas Aseguradora", D("170.00"))]
    assert (options[0].ips, options[0].clea, options[0].consorcio, options[0].total_premium) == (
        D("12.00"), D("0.23"), D("0.00"), D("162.23"))
    assert quote.risk_summary == "Labrador (dog), chip 941000024680135"
    html = client_a.get(f"/seguros/proyectos/{quote.pk}/").content.decode()
    for text in ("Felina Mutua", "162,23 €", "Responsabilidad civil del animal", "Asistencia veterinaria",
                 "Otros animales del tomador", "Misi", "Recomendada"):
        assert text in html, text


def test_it_declines_by_its_own_rules(pet_products, admin_a):
    party = party_create(actor=None, data={"kind": "person", "first_name": "Ana", "last_name": "Ruiz",
                                           "tax_id": "11111111H"})
    old = {**RISK, "birth_date": "2015-01-01"}
    with pytest.raises(Exception, match="No se aseguran animales de más de 9 años"):
        quote_create(actor=admin_a, client=party, line_code=CODE, risk=old, effective_date=datetime.date(2026, 6, 1),
                     demands_and_needs={}, needs_statement="", advice_kind=AdviceKind.NO_ADVICE)
    assert not Quote.objects.exists()


def test_it_is_described_by_the_line_registry_api(pets_line, tenants, api_token_a):
    api = Client(HTTP_HOST=tenants.alfa_host, HTTP_AUTHORIZATION=f"Bearer {api_token_a}")
    data = api.get(f"/api/v1/insurance/lines-registry/{CODE}/").json()
    assert [field["name"] for field in data["fields"]] == ["species", "breed", "birth_date", "microchip",
                                                          "vet_expenses"]
    assert data["fields"][2]["type"] == "date" and data["fields"][4]["type"] == "boolean"
    assert data["rows"] == [{"name": "others", "label": "Otros animales del tomador", "fields": [
        {"name": "name", "label": "Nombre", "type": "string", "required": True, "help_text": "", "max_length": 40},
        {"name": "species", "label": "Especie", "type": "choice", "required": True, "help_text": "",
         "choices": [{"value": "dog", "label": "Perro"}, {"value": "cat", "label": "Gato"}]}]}]


def test_no_file_under_apps_mentions_the_new_line():
    apps_dir = Path(settings.BASE_DIR) / "apps"
    mentions = [str(path) for path in apps_dir.rglob("*.py") if CODE in path.read_text(encoding="utf-8").lower()]
    assert mentions == []

"""Renewal portfolio services: the build picks exactly the policies due (60 days, 30 when
configured), is idempotent and notifies each owner once; the proposed premium comes from the tariff
in force on the new start (or stays the same, saying why); month ends; the insurer's premium with
taxes; confirm renews with new receipts; deciding twice or renewing a renewed policy is refused with
nothing written; decline; confirming many in chunks (service, task, command).

Worked numbers (test line «ptest», capital 20.000 €, see test_policy_support): current premium
net 130,00, total 141,60. New tariff from 15/03/2027 with base 110: net 140,00 · IPS 11,20 ·
Consorcio 1,00 · CLEA 0,21 → total 153,41. Insurer's update net 150,00: IPS 12,00 · Consorcio 1,00 ·
CLEA 0,225 → 0,23 → total 164,23."""
import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEvent
from apps.insurance.choices import PaymentFrequency, PolicyState, RenewalPremiumSource, RenewalState
from apps.insurance.models import Policy, RenewalProposal, Tariff, TariffFactor
from apps.insurance.services.policies import policy_cancel, policy_renew, policy_suspend
from apps.insurance.services.renewals import (
    RenewalError, renewal_confirm, renewal_decline, renewal_set_premium, renewal_settings, renewal_settings_update,
    renewals_build, renewals_confirm_many,
)
from apps.notifications.models import Notification
from tests.insurance.test_policy_support import (  # noqa: F401  (fixtures)
    RISK, holder, other_holder, pcatalog, place, pline,
)

D = Decimal
date = datetime.date
TODAY = date(2027, 1, 13)  # + 60 days = 14/03/2027, POL-1's expiry


def new_tariff(product, valid_from, base="110.00", **parameters):
    """A copy of the product's tariff from `valid_from` with another base premium."""
    old = Tariff.objects.filter(product=product).order_by("valid_from").first()
    tariff = Tariff.objects.create(product=product, valid_from=valid_from, base_premium=D(base),
                                   minimum_premium=old.minimum_premium, parameters={**old.parameters, **parameters})
    TariffFactor.objects.bulk_create([TariffFactor(tariff=tariff, factor=f.factor, key=f.key, band_from=f.band_from,
                                                   band_to=f.band_to, value=f.value) for f in old.factors.all()])
    return tariff


def proposal_of(policy) -> RenewalProposal:
    return RenewalProposal.objects.get(policy=policy)


@pytest.fixture
def due(pcatalog, holder, other_holder, admin_a):
    """POL-1 expires 14/03/2027 (within 60 days of TODAY); the rest test the edges."""
    alfa = pcatalog["alfa"]
    policies = {
        "POL-1": place(admin_a, holder, alfa),
        "DAY-61": place(admin_a, holder, alfa, number="DAY-61", start_date=date(2026, 3, 16)),
        "SUSP": place(admin_a, other_holder, alfa, number="SUSP"),
        "DRAFT": place(admin_a, holder, alfa, number="DRAFT", issue=False),
        "CANC": place(admin_a, holder, alfa, number="CANC"),
    }
    policy_suspend(actor=admin_a, policy=policies["SUSP"], effective_date=date(2026, 6, 1))
    policy_cancel(actor=admin_a, policy=policies["CANC"], effective_date=date(2026, 6, 1), reason="client")
    return policies


def test_build_picks_exactly_the_policies_due_within_60_days(due, users_a):
    assert renewal_settings().days_before == 60
    assert renewals_build(today=TODAY) == 2
    assert set(RenewalProposal.objects.values_list("policy__number", flat=True)) == {"POL-1", "SUSP"}
    proposal = proposal_of(due["POL-1"])
    assert (proposal.state, proposal.expiry_date, proposal.owner) == (
        RenewalState.PENDING, date(2027, 3, 14), users_a["comercial"])
    assert (proposal.current_net_premium, proposal.current_total_premium) == (D("130.00"), D("141.60"))
    assert proposal_of(due["SUSP"]).owner is None  # its policyholder has no account manager
    assert renewals_build(today=TODAY) == 0  # idempotent
    assert renewals_build(today=TODAY + datetime.timedelta(days=1)) == 1  # DAY-61 is now due
    assert RenewalProposal.objects.count() == 3


def test_build_with_30_days_configured(due, admin_a):
    renewal_settings_update(actor=admin_a, days_before=30)
    assert renewals_build(today=date(2027, 2, 11)) == 0  # + 30 days = 13/03
    assert renewals_build(today=date(2027, 2, 12)) == 2  # + 30 days = 14/03
    with pytest.raises(RenewalError) as refused:
        renewal_settings_update(actor=admin_a, days_before=0)
    assert refused.value.field == "days_before" and renewal_settings().days_before == 30


def test_build_skips_a_policy_already_renewed(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    renewal = policy_renew(actor=admin_a, policy=policy)
    assert renewals_build(today=TODAY) == 0
    assert renewal.expiry_date == date(2028, 3, 14) and not RenewalProposal.objects.exists()


def test_owner_gets_one_notification_per_run_with_the_count(due, users_a, admin_a):
    place(admin_a, due["POL-1"].policyholder, due["POL-1"].product, number="POL-2", start_date=date(2026, 2, 1))
    comercial = users_a["comercial"]
    before = Notification.objects.filter(recipient=comercial).count()
    assert renewals_build(today=TODAY) == 3
    sent = Notification.objects.filter(recipient=comercial).order_by("pk")[before:]
    assert [n.title for n in sent] == ["2 pólizas para renovar"]
    assert "31/01/2027" in sent[0].body and sent[0].url == "/seguros/renovaciones/?mes=2027-01"
    assert not RenewalProposal.objects.filter(owner=comercial, notified_at__isnull=True).exists()
    renewals_build(today=TODAY)
    assert Notification.objects.filter(recipient=comercial).count() == before + 1


def test_proposed_premium_from_the_tariff_in_force_on_the_new_start(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    new_tariff(pcatalog["alfa"], date(2027, 3, 15))
    renewals_build(today=TODAY)
    proposal = proposal_of(policy)
    assert proposal.premium_source == RenewalPremiumSource.RERATE and proposal.rating_note == ""
    assert (proposal.proposed_net_premium, proposal.proposed_ips, proposal.proposed_consorcio,
            proposal.proposed_clea, proposal.proposed_total_premium) == (
        D("140.00"), D("11.20"), D("1.00"), D("0.21"), D("152.41"))


def test_a_tariff_from_the_day_after_the_new_start_does_not_apply(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    new_tariff(pcatalog["alfa"], date(2027, 3, 16))
    renewals_build(today=TODAY)
    assert proposal_of(policy).proposed_total_premium == D("141.60")


def test_declined_or_untariffed_product_proposes_the_same_premium_and_says_why(pcatalog, holder, admin_a):
    declined = place(admin_a, holder, pcatalog["alfa"])
    new_tariff(pcatalog["alfa"], date(2027, 1, 1), max_age="25")
    untariffed = place(admin_a, holder, pcatalog["beta"], number="B-1")
    Tariff.objects.filter(product=pcatalog["beta"]).update(valid_from=date(2028, 1, 1))
    renewals_build(today=TODAY)
    first, second = proposal_of(declined), proposal_of(untariffed)
    assert first.premium_source == RenewalPremiumSource.SAME and first.proposed_total_premium == D("141.60")
    assert "Edad máxima superada" in first.rating_note
    assert second.premium_source == RenewalPremiumSource.SAME
    assert second.proposed_total_premium == untariffed.total_premium
    assert "no tiene tarifa en vigor el 15/03/2027" in second.rating_note


@pytest.mark.parametrize("start, term, expiry, new_start, new_expiry", [
    (date(2026, 2, 1), 12, date(2027, 1, 31), date(2027, 2, 1), date(2028, 1, 31)),
    (date(2027, 3, 1), 12, date(2028, 2, 29), date(2028, 3, 1), date(2029, 2, 28)),
    (date(2027, 8, 29), 6, date(2028, 2, 28), date(2028, 2, 29), date(2028, 8, 28)),
])
def test_month_ends(pcatalog, holder, admin_a, start, term, expiry, new_start, new_expiry):
    policy = place(admin_a, holder, pcatalog["alfa"], start_date=start, term_months=term)
    assert renewals_build(today=expiry - datetime.timedelta(days=60)) == 1
    proposal = proposal_of(policy)
    assert proposal.expiry_date == expiry
    renewal = renewal_confirm(actor=admin_a, proposal=proposal)
    assert (renewal.start_date, renewal.expiry_date) == (new_start, new_expiry)


def test_confirm_renews_with_the_proposed_premium_and_new_receipts(pcatalog, holder, admin_a):
    from apps.collections.models import Receipt

    policy = place(admin_a, holder, pcatalog["alfa"], payment_frequency=PaymentFrequency.MONTHLY)
    renewals_build(today=TODAY)
    proposal = renewal_set_premium(actor=admin_a, proposal=proposal_of(policy), net_premium="150")
    renewal = renewal_confirm(actor=admin_a, proposal=proposal)
    proposal.refresh_from_db()
    policy.refresh_from_db()
    assert (proposal.state, proposal.renewed_policy, proposal.decided_by) == (RenewalState.RENEWED, renewal, admin_a)
    assert proposal.decided_at is not None and policy.state == PolicyState.RENEWED
    assert (renewal.number, renewal.state, renewal.renewal_of) == ("POL-1", PolicyState.IN_FORCE, policy)
    version = renewal.current_version
    assert (version.net_premium, version.ips, version.consorcio, version.clea, version.total_premium) == (
        D("150.00"), D("12.00"), D("1.00"), D("0.23"), D("163.23"))
    assert Receipt.objects.filter(policy=renewal).count() == 12  # the policy_issue hook of collections
    assert AuditEvent.objects.filter(verb="renewal_confirm", object_id=str(proposal.pk)).exists()


def test_confirm_with_another_number(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    renewals_build(today=TODAY)
    assert renewal_confirm(actor=admin_a, proposal=proposal_of(policy), number="POL-1-R").number == "POL-1-R"


def _counts():
    return (Policy.objects.count(), AuditEvent.objects.count(),
            list(RenewalProposal.objects.order_by("pk").values_list("state", "version", "decided_at")))


def test_confirming_twice_is_refused_and_nothing_is_written(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    renewals_build(today=TODAY)
    renewal_confirm(actor=admin_a, proposal=proposal_of(policy))
    before = _counts()
    for attempt in (lambda p: renewal_confirm(actor=admin_a, proposal=p),
                    lambda p: renewal_decline(actor=admin_a, proposal=p, reason="price"),
                    lambda p: renewal_set_premium(actor=admin_a, proposal=p, net_premium="200")):
        with pytest.raises(RenewalError) as refused:
            attempt(proposal_of(policy))
        assert (refused.value.status, refused.value.code) == (409, "renewal_already_decided")
        assert "ya está decidida" in refused.value.message
    assert _counts() == before


def test_renewing_an_already_renewed_policy_is_refused_and_nothing_is_written(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    renewals_build(today=TODAY)
    renewal = policy_renew(actor=admin_a, policy=policy)  # renewed from the policy page meanwhile
    proposal = proposal_of(policy)
    assert (proposal.state, proposal.renewed_policy, proposal.decided_by) == (RenewalState.RENEWED, renewal, admin_a)
    before = _counts()
    with pytest.raises(RenewalError) as refused:
        renewal_confirm(actor=admin_a, proposal=proposal)
    assert (refused.value.status, refused.value.code) == (409, "renewal_already_decided")
    RenewalProposal.objects.filter(pk=proposal.pk).update(state=RenewalState.PENDING, renewed_policy=None)
    before = _counts()
    with pytest.raises(RenewalError) as refused:  # a proposal left pending on a renewed policy
        renewal_confirm(actor=admin_a, proposal=proposal)
    assert (refused.value.status, refused.value.code) == (409, "renewal_policy_renewed")
    assert refused.value.message == "La póliza POL-1 ya está renovada."
    assert _counts() == before and proposal_of(policy).state == RenewalState.PENDING


def test_set_premium_validates(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    renewals_build(today=TODAY)
    for bad in ("0", "-5", "abc", None):
        with pytest.raises(RenewalError) as refused:
            renewal_set_premium(actor=admin_a, proposal=proposal_of(policy), net_premium=bad)
        assert refused.value.field == "net_premium"
    proposal = renewal_set_premium(actor=admin_a, proposal=proposal_of(policy), net_premium=D("150.004"),
                                   notes="Actualización de Alfa")
    assert (proposal.premium_source, proposal.proposed_total_premium) == (RenewalPremiumSource.INSURER, D("163.23"))
    assert proposal.notes == "Actualización de Alfa"


def test_decline_records_the_reason_and_leaves_the_policy_to_expire(pcatalog, holder, admin_a):
    policy = place(admin_a, holder, pcatalog["alfa"])
    renewals_build(today=TODAY)
    with pytest.raises(RenewalError) as refused:
        renewal_decline(actor=admin_a, proposal=proposal_of(policy), reason="because")
    assert refused.value.field == "reason"
    with pytest.raises(RenewalError) as refused:
        renewal_decline(actor=admin_a, proposal=proposal_of(policy), reason="other")
    assert refused.value.field == "notes"
    proposal = renewal_decline(actor=admin_a, proposal=proposal_of(policy), reason="price", notes="Muy cara")
    assert (proposal.state, proposal.non_renewal_reason, proposal.decided_by) == (
        RenewalState.NOT_RENEWED, "price", admin_a)
    policy.refresh_from_db()
    assert policy.state == PolicyState.IN_FORCE and not Policy.objects.filter(renewal_of=policy).exists()
    assert policy.tacit_renewal is False


def test_confirm_many_in_chunks_skips_the_refused(pcatalog, holder, other_holder, admin_a):
    policies = [place(admin_a, holder if n % 2 else other_holder, pcatalog["alfa"], number=f"M-{n}")
                for n in range(5)]
    renewals_build(today=TODAY)
    ids = [proposal_of(p).pk for p in policies]
    renewal_decline(actor=admin_a, proposal=ids[0], reason="price")
    policy_renew(actor=admin_a, policy=policies[1])
    assert renewals_confirm_many(actor=admin_a, proposal_ids=ids, chunk_size=2) == 3
    states = dict(RenewalProposal.objects.values_list("policy__number", "state"))
    assert states == {"M-0": "not_renewed", "M-1": "renewed", "M-2": "renewed", "M-3": "renewed", "M-4": "renewed"}
    assert Policy.objects.filter(renewal_of__in=policies).count() == 4


def test_confirm_command_runs_the_month_in_chunks(pcatalog, holder, admin_a, tenant_a, capsys):
    from aitcore.celery import app

    march = [place(admin_a, holder, pcatalog["alfa"], number=f"C-{n}") for n in range(3)]
    april = place(admin_a, holder, pcatalog["alfa"], number="APR", start_date=date(2026, 4, 10))
    renewals_build(today=date(2027, 2, 20))
    call_command("insurance_renewals_confirm", "--month", "2027-03", "--chunk", "2", "--schema",
                 tenant_a.schema_name, "--sync")
    assert "3 de 3 renovadas en 2 lotes" in capsys.readouterr().out
    assert all(proposal_of(p).state == RenewalState.RENEWED for p in march)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the chunks run through Celery, in this process
    try:
        call_command("insurance_renewals_confirm", "--month", "2027-04", "--schema", tenant_a.schema_name, "--wait")
    finally:
        app.conf.task_always_eager = eager
    assert "1 de 1 renovadas en 1 lotes" in capsys.readouterr().out
    assert proposal_of(april).state == RenewalState.RENEWED

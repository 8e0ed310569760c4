import datetime

import pytest
from stdnum.eu import at_02

from apps.treasury.errors import TreasuryError
from apps.treasury.models import Mandate
from apps.treasury.services.mandates import (
    mandate_amend, mandate_is_usable, mandate_register_use, mandate_revoke, mandate_sequence_type,
)
from apps.treasury.validators import creditor_id_build, creditor_id_check

pytestmark = pytest.mark.django_db


def test_creditor_id_check_digits_for_a_known_nif():
    assert creditor_id_build("B86561412") == "ES18000B86561412"
    assert at_02.is_valid("ES18000B86561412")  # python-stdnum agrees
    assert creditor_id_check("ES18 000 B86561412") == "ES18000B86561412"
    # The suffix does not enter the check digits.
    assert creditor_id_build("B86561412", "001") == "ES18001B86561412"
    with pytest.raises(TreasuryError) as exc:
        creditor_id_check("ES19000B86561412")
    assert exc.value.field == "creditor_id"


def test_first_then_recurrent_then_first_again_after_an_amendment(coll_holder, mandate_for, admin_a):
    mandate = mandate_for(coll_holder)
    assert mandate_sequence_type(mandate) == "FRST"
    mandate = mandate_register_use(actor=admin_a, mandate=mandate, on_date=datetime.date(2026, 2, 5))
    assert (mandate.uses, mandate.last_used_on) == (1, datetime.date(2026, 2, 5))
    assert mandate_sequence_type(mandate) == "RCUR"
    mandate = mandate_amend(actor=admin_a, mandate=mandate, iban="ES9121000418450200051332",
                            on_date=datetime.date(2026, 3, 1))
    assert mandate.previous_iban == "ES7921000813610123456789"
    assert mandate_sequence_type(mandate) == "FRST"
    mandate = mandate_register_use(actor=admin_a, mandate=mandate, on_date=datetime.date(2026, 3, 5))
    assert mandate_sequence_type(mandate) == "RCUR"


def test_expires_after_36_months_unused(coll_holder, mandate_for):
    mandate = mandate_for(coll_holder, signature_date=datetime.date(2023, 1, 10))
    assert mandate_is_usable(mandate, datetime.date(2026, 1, 9)) == (True, "")
    usable, reason = mandate_is_usable(mandate, datetime.date(2026, 1, 10))
    assert not usable and "caducó el 10/01/2026" in reason
    mandate.last_used_on = datetime.date(2025, 6, 1)
    assert mandate_is_usable(mandate, datetime.date(2026, 1, 10)) == (True, "")


def test_revoked_and_used_one_off_are_refused(coll_holder, mandate_for, admin_a):
    mandate = mandate_revoke(actor=admin_a, mandate=mandate_for(coll_holder), on_date=datetime.date(2026, 4, 1))
    usable, reason = mandate_is_usable(mandate, datetime.date(2026, 4, 2))
    assert not usable and "revocado" in reason
    with pytest.raises(TreasuryError) as exc:
        mandate_register_use(actor=admin_a, mandate=mandate, on_date=datetime.date(2026, 4, 2))
    assert exc.value.status == 409
    one_off = mandate_for(coll_holder, kind="one_off")
    assert mandate_sequence_type(one_off) == "OOFF"
    one_off = mandate_register_use(actor=admin_a, mandate=one_off, on_date=datetime.date(2026, 2, 1))
    assert mandate_is_usable(one_off, datetime.date(2026, 3, 1))[0] is False


def test_reference_and_signature_rules(coll_holder, mandate_for):
    mandate_for(coll_holder, reference="MAND-0001")
    with pytest.raises(TreasuryError) as exc:
        mandate_for(coll_holder, reference="MAND-0001")
    assert exc.value.field == "reference"
    with pytest.raises(TreasuryError):
        mandate_for(coll_holder, reference="MANDATO Ñ")
    with pytest.raises(TreasuryError) as exc:
        mandate_for(coll_holder, signature_date=datetime.date(2999, 1, 1))
    assert exc.value.field == "signature_date"
    with pytest.raises(TreasuryError) as exc:
        mandate_for(coll_holder, iban="ES0000000000000000000000")
    assert exc.value.field == "iban"
    assert Mandate.objects.filter(party=coll_holder).count() == 1

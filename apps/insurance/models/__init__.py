from apps.insurance.models.catalog import CommissionAgreement, Coverage, Insurer, InsurerContact, Line, Product
from apps.insurance.models.policies import Policy, PolicyStateChange, PolicyVersion
from apps.insurance.models.quotes import NumberCounter, Quote, QuoteOption
from apps.insurance.models.renewals import RenewalProposal, RenewalSettings
from apps.insurance.models.tariffs import Tariff, TariffFactor

__all__ = [
    "CommissionAgreement", "Coverage", "Insurer", "InsurerContact", "Line", "Product",
    "NumberCounter", "Policy", "PolicyStateChange", "PolicyVersion", "Quote", "QuoteOption", "RenewalProposal",
    "RenewalSettings", "Tariff", "TariffFactor",
]

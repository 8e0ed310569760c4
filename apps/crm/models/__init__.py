from apps.crm.models.activities import Activity
from apps.crm.models.campaigns import Campaign, CampaignRecipient, Segment
from apps.crm.models.consents import Consent
from apps.crm.models.imports import ImportBatch
from apps.crm.models.parties import Address, BankAccount, ContactPoint, Party, PartyRelation, Tag
from apps.crm.models.pipeline import Lead, Opportunity

__all__ = [
    "Activity", "Address", "BankAccount", "Campaign", "CampaignRecipient", "Consent", "ContactPoint", "ImportBatch",
    "Lead", "Opportunity", "Party", "PartyRelation", "Segment", "Tag",
]

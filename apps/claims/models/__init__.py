from apps.claims.models.claims import (
    Claim, ClaimDocument, ClaimPayment, ClaimStateChange, ClaimTask, ReserveChange, ThirdParty,
)

__all__ = ["Claim", "ClaimDocument", "ClaimPayment", "ClaimStateChange", "ClaimTask", "ReserveChange", "ThirdParty"]

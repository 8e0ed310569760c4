"""What a successful sign-in leaves behind: the audit event, the «Mis sesiones» row and the session flags the
idle-timeout and MFA middlewares read (so they need no query per request)."""
import time

from django_otp import DEVICE_ID_SESSION_KEY

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.identity.security import client_ip, user_agent

LAST_ACTIVITY_KEY = "identity_last_activity"
MFA_REQUIRED_KEY = "identity_mfa_required"


def login_succeeded(*, request, user) -> None:
    from apps.identity.services.mfa import mfa_required_for
    from apps.identity.services.sessions import session_record

    device = getattr(user, "otp_device", None)
    kind = ""
    if device is not None:
        kind = "recovery" if device.__class__.__name__ == "RecoveryCodeDevice" else "totp"
    changes = {"ip": client_ip(request) if request is not None else None, "mfa": kind or None}
    audit_event_record(actor=user, action=AuditAction.LOGIN, obj=user, changes=changes)
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LAST_ACTIVITY_KEY] = int(time.time())
    # Required and not verified in this login: the MFA middleware sends the user to enrol first.
    session[MFA_REQUIRED_KEY] = bool(mfa_required_for(user)) and device is None
    if session.session_key:
        session_record(user=user, session_key=session.session_key, ip=changes["ip"], user_agent=user_agent(request))


def mfa_pending(session) -> bool:
    """The session belongs to a user who must enrol (or verify) before reaching anything else."""
    return bool(session.get(MFA_REQUIRED_KEY)) and not session.get(DEVICE_ID_SESSION_KEY)


def api_login_succeeded(*, user, ip: str | None, mfa: str) -> None:
    """A JWT obtained with the password (and code): audited as a login; the failure counter of the pair is reset."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.reset_attempts(username=user.email, ip_address=ip)
    audit_event_record(actor=user, action=AuditAction.LOGIN, obj=user, changes={"ip": ip, "mfa": mfa or None,
                                                                                "channel": "api"})

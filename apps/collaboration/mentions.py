"""@mentions in comments. A colleague is named by the local part of their e-mail ("@ana.garcia" for
ana.garcia@correduria.es: users log in with their e-mail, there is no username) or, when two active
colleagues share that local part, by the whole address ("@ana@correduria.es"). The autocomplete inserts
exactly what `handle_of` says, and the parser and the rendering accept the same two forms.

Only active users of this brokerage (the users of the tenant's schema) who may also view the record are
mentioned; a handle that names nobody, or nobody unambiguously, stays plain text."""
import re

from django.db.models import Q

from apps.collaboration.records import can_collaborate

# "@" not glued to a word (so "ana@x.es" in a sentence is no mention); the local part ends on a letter,
# digit or "_" so the sentence's punctuation ("@ana.", "@ana,") is left out.
MENTION = re.compile(r"(?<![\w.+@-])@(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,62}[A-Za-z0-9_])?"
                     r"(?:@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})?)")
MAX_MENTIONS = 30  # distinct handles looked up per comment
SUGGESTIONS = 8
_CANDIDATES = 25  # colleagues checked against the record's rule per autocomplete request


def handles_in(text: str) -> list[str]:
    """The distinct handles written in `text`, lower-cased, in order of appearance."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match["handle"].lower(), None)
    return list(seen)[:MAX_MENTIONS]


def local_part(email: str) -> str:
    return (email or "").split("@", 1)[0].lower()


def _active_users():
    from apps.identity.models import User

    return User.objects.filter(is_active=True)


def _shared_local_parts(locals_: set[str]) -> set[str]:
    """Which of these local parts more than one active user has (one query)."""
    if not locals_:
        return set()
    query = Q()
    for part in locals_:
        query |= Q(email__istartswith=f"{part}@")
    counts: dict[str, int] = {}
    for email in _active_users().filter(query).values_list("email", flat=True):
        counts[local_part(email)] = counts.get(local_part(email), 0) + 1
    return {part for part, count in counts.items() if count > 1}


def handle_of(users) -> dict[int, str]:
    """The handle to type for each user (pk -> handle): the local part, or the e-mail when it is shared."""
    users = list(users)
    shared = _shared_local_parts({local_part(user.email) for user in users})
    return {user.pk: (user.email.lower() if local_part(user.email) in shared else local_part(user.email))
            for user in users}


def mentioned_users(text: str, key: str) -> list:
    """The active users `text` mentions who may view record `key` (two queries plus the record rule)."""
    handles = handles_in(text)
    if not handles:
        return []
    emails = {h for h in handles if "@" in h}
    locals_ = {h for h in handles if "@" not in h}
    query = Q(email__in=emails)
    for part in locals_:
        query |= Q(email__istartswith=f"{part}@")
    candidates = list(_active_users().filter(query).order_by("pk"))
    by_local: dict[str, list] = {}
    for user in candidates:
        by_local.setdefault(local_part(user.email), []).append(user)
    chosen = {user.pk: user for user in candidates if user.email.lower() in emails}
    for part in locals_:
        if len(by_local.get(part, ())) == 1:  # ambiguous handles name nobody
            chosen.setdefault(by_local[part][0].pk, by_local[part][0])
    return [user for user in chosen.values() if can_collaborate(user, key)]


def mention_tokens(users) -> set[str]:
    """The lower-cased handles that render as a badge for these mentioned users (both forms)."""
    tokens = set()
    for user in users:
        tokens.add(user.email.lower())
        tokens.add(local_part(user.email))
    return tokens


def mention_suggestions(*, actor, key: str, prefix: str) -> list[dict]:
    """Up to 8 colleagues whose e-mail, name or surname starts with `prefix` and who may view `key`."""
    prefix = (prefix or "").strip().lstrip("@")[:100]
    if not prefix:
        return []
    query = Q(email__istartswith=prefix) | Q(first_name__istartswith=prefix) | Q(last_name__istartswith=prefix)
    candidates = _active_users().filter(query).exclude(pk=actor.pk).order_by("first_name", "last_name", "pk")
    found = []
    for user in candidates[:_CANDIDATES]:
        if can_collaborate(user, key):
            found.append(user)
            if len(found) == SUGGESTIONS:
                break
    handles = handle_of(found)
    return [{"id": user.pk, "handle": handles[user.pk], "name": user.get_full_name() or user.email,
             "email": user.email} for user in found]

"""Reads of scores: which kinds a user may see, the top-risk list of a kind (only records the user may see)
and the latest score of one record."""
from django.contrib.contenttypes.models import ContentType

from apps.predictive.choices import KIND_PERMISSION, TARGET_MODEL, ModelKind
from apps.predictive.models import ModelVersion, Score


def kinds_for(user) -> list[str]:
    if not user.has_perm("predictive.view_score"):
        return []
    return [kind for kind in ModelKind.values if user.has_perm(KIND_PERMISSION[kind])]


def visible_targets(kind: str, user):
    """Primary keys of the records of `kind` the user may see (a subquery)."""
    if kind == ModelKind.CHURN:
        from apps.insurance.selectors_policies import policies_for

        return policies_for(user).values("pk")
    if kind == ModelKind.FRAUD:
        from apps.claims.selectors import claims_for

        return claims_for(user).values("pk")
    from apps.accounting.models import Entry

    return Entry.objects.values("pk")


def active_version(kind: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(kind=kind, is_active=True).order_by("-version").first()


def top_scores(kind: str, user, *, limit: int = 50, version: ModelVersion | None = None) -> list[Score]:
    version = version or active_version(kind)
    if version is None:
        return []
    return list(Score.objects.filter(model_version=version, object_id__in=visible_targets(kind, user))
                .order_by("-score", "pk")[:limit])


def latest_score(kind: str, object_id: int) -> Score | None:
    app_label, model = TARGET_MODEL[kind].split(".")
    ct = ContentType.objects.get_by_natural_key(app_label, model)
    return (Score.objects.filter(kind=kind, content_type=ct, object_id=object_id, model_version__is_active=True)
            .select_related("model_version").order_by("-scored_at").first())

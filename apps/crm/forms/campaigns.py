"""Forms of segments and campaigns. A segment's filters are ordinary fields here and become the
JSON the service validates (apps.crm.services.segments.segment_filters_clean)."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin, VersionedModelForm
from apps.crm.choices import Language, PartyKind, PartyStatus
from apps.crm.models import Campaign, Segment, Tag
from apps.crm.provinces import Province

FILTER_FIELDS = ("kind", "status", "province", "tags", "account_manager", "birth_date_from", "birth_date_to", "language")


def _own_only(user) -> bool:
    if user is None or user.is_superuser:
        return False
    from apps.identity.services.roles import user_own_only_modules

    return "crm" in user_own_only_modules(user)


class SegmentForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=120)
    description = forms.CharField(label=_("Descripción"), max_length=300, required=False)
    kind = forms.MultipleChoiceField(label=_("Tipo"), choices=PartyKind.choices, required=False)
    status = forms.MultipleChoiceField(label=_("Situación"), choices=PartyStatus.choices, required=False)
    language = forms.MultipleChoiceField(label=_("Idioma preferido"), choices=Language.choices, required=False)
    province = forms.MultipleChoiceField(label=_("Provincia (alguna dirección en)"), choices=Province.choices,
                                         required=False)
    tags = forms.ModelMultipleChoiceField(label=_("Etiquetas (cualquiera de ellas)"), queryset=Tag.objects.all(),
                                          required=False)
    account_manager = forms.ModelMultipleChoiceField(label=_("Gestor"), queryset=get_user_model().objects.none(),
                                                     required=False)
    birth_date_from = forms.DateField(label=_("Nacidos desde"), required=False)
    birth_date_to = forms.DateField(label=_("Nacidos hasta"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, instance: Segment | None = None, **kwargs):
        data = args[0] if args else kwargs.get("data")
        if instance is not None and data is None:
            filters = instance.filters or {}
            kwargs.setdefault("initial", {
                "name": instance.name, "description": instance.description, "version": instance.version,
                **{key: filters.get(key) for key in FILTER_FIELDS if key in filters},
            })
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "email")
        self.fields["account_manager"].queryset = users.filter(pk=user.pk) if _own_only(user) else users

    def filters(self) -> dict:
        data = self.cleaned_data
        filters = {}
        for key in ("kind", "status", "language", "province"):
            if data.get(key):
                filters[key] = list(data[key])
        if data.get("tags"):
            filters["tags"] = [tag.pk for tag in data["tags"]]
        if data.get("account_manager"):
            filters["account_manager"] = [user.pk for user in data["account_manager"]]
        for key in ("birth_date_from", "birth_date_to"):
            if data.get(key):
                filters[key] = data[key].isoformat()
        return filters

    def business_data(self) -> dict:
        return {"name": self.cleaned_data["name"], "description": self.cleaned_data.get("description", ""),
                "filters": self.filters()}


class CampaignForm(VersionedModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "segment", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "subject": _("Puede usar {{ nombre }}."),
            "body": _("Texto del correo. Puede usar {{ nombre }} (nombre del cliente) y {{ gestor }} (su gestor). "
                      "Se añade al final un pie para darse de baja. Solo reciben el correo los clientes con "
                      "consentimiento vigente para comunicaciones comerciales."),
        }

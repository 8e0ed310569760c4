"""The activity form; its target (party, lead or opportunity) comes from the URL, not the form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import VersionedModelForm
from apps.crm.forms.pipeline import limit_owner_field
from apps.crm.models import Activity

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ActivityForm(VersionedModelForm):
    done = forms.BooleanField(label=_("Ya está hecha"), required=False,
                              help_text=_("Márquelo para dejar constancia de una llamada o reunión que ya tuvo lugar."))

    class Meta:
        model = Activity
        fields = ["kind", "subject", "due_at", "owner", "notes"]
        widgets = {
            "due_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        limit_owner_field(self, user)
        self.fields["due_at"].required = True
        self.fields["due_at"].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        if self.instance.pk:
            del self.fields["done"]  # completing is its own action

    def business_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("version", "done")}

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render

from apps.core.errors import DomainError
from apps.core.forms import add_service_errors
from apps.tenancy.forms import SignupForm
from apps.tenancy.services.provisioning import tenant_provision


def home(request):
    return render(request, "tenancy/home.html", {"platform_domain": settings.PLATFORM_DOMAIN})


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        port = request.get_port()
        domain = f"{data['schema'].replace('_', '-')}.{settings.PLATFORM_DOMAIN}"
        try:
            tenant = tenant_provision(actor=None, domain=domain, **data)
        except (ValidationError, DomainError) as exc:
            add_service_errors(form, exc)
        else:
            url = f"{request.scheme}://{domain}{'' if port in ('80', '443') else ':' + port}/"
            return render(request, "tenancy/signup_done.html", {"tenant": tenant, "url": url})
    return render(request, "tenancy/signup.html", {"form": form})

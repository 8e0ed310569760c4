from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from apps.core.services.records import record_update


@require_POST
def language_switch(request):
    """Django's set_language, remembering the choice on the user's profile too."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        record_update(actor=user, instance=user, data={"language": language})
    return response

from django.core.management.base import BaseCommand

from apps.tenancy.demo import DEMO_DOMAIN, DEMO_SCHEMA, demo_seed


class Command(BaseCommand):
    help = "Crea (una sola vez) la correduría de demostración con un usuario por rol."

    def handle(self, *args, **options):
        created = demo_seed()
        verb = "creada" if created else "ya existía; datos comprobados"
        self.stdout.write(self.style.SUCCESS(f"Correduría demo {verb}: http://{DEMO_DOMAIN}/ (esquema {DEMO_SCHEMA})"))

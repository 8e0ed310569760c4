from django.core.management.base import BaseCommand

from apps.tenancy.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Muestra los accesos de la correduría de demostración."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("AIT-CORE en marcha"))
        self.stdout.write("  Sitio público:        http://localhost:8000/")
        self.stdout.write(f"  Correduría demo:      http://{DEMO_DOMAIN}:8000/")
        self.stdout.write(f"  API (Swagger):        http://{DEMO_DOMAIN}:8000/api/docs/")
        self.stdout.write(f"  Panel de operaciones: http://{DEMO_DOMAIN}:8000/admin/")
        self.stdout.write(f"  Contraseña de todos los usuarios demo: {DEMO_PASSWORD}")
        for email, first, last, role in DEMO_USERS:
            self.stdout.write(f"    {email:<34} {role}")
        self.stdout.write("")

from django.core.management.base import BaseCommand

from apps.tenancy.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USERS, PLATFORM_ADMIN


class Command(BaseCommand):
    help = "Muestra los accesos de la correduría de demostración."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port="8000", **options):
        self.stdout.write("")
        suffix = "" if port == "80" else f":{port}"
        self.stdout.write(self.style.SUCCESS("AIT-CORE en marcha"))
        self.stdout.write(f"  Sitio público:        http://localhost{suffix}/")
        self.stdout.write(f"  Correduría demo:      http://{DEMO_DOMAIN}{suffix}/")
        self.stdout.write(f"  API (Swagger):        http://{DEMO_DOMAIN}{suffix}/api/docs/")
        self.stdout.write(f"  Panel de operaciones: http://{DEMO_DOMAIN}{suffix}/admin/")
        self.stdout.write(f"  Panel de plataforma:  http://localhost{suffix}/admin/  ({PLATFORM_ADMIN})")
        self.stdout.write(f"  Contraseña de todos los usuarios demo: {DEMO_PASSWORD}")
        for email, first, last, role in DEMO_USERS:
            self.stdout.write(f"    {email:<34} {role}")
        self.stdout.write("  El rol Sistemas (y direccion@, que tiene todos los roles) exige verificación en dos pasos:")
        self.stdout.write("  al entrar se pide dar de alta una app de autenticación. Los demás usuarios entran solo con")
        self.stdout.write("  la contraseña.")
        self.stdout.write("")

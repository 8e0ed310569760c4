"""The environment `aitcore.settings.production` needs, for tests that load it in a subprocess."""
import os
import secrets

DROPPED_PREFIXES = ("DJANGO_", "JWT_", "FIELD_", "AITCORE_TEST", "AWS_", "STORAGE_", "DOCUMENTS_")


def production_env(**extra: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items()
           if not key.startswith(DROPPED_PREFIXES) and key != "PYTHONPATH"}
    env.update(
        DJANGO_SETTINGS_MODULE="aitcore.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        DJANGO_ALLOWED_HOSTS=".aitcore.example.com,aitcore.example.com",
        PLATFORM_DOMAIN="aitcore.example.com",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        FIELD_HASH_KEY=secrets.token_urlsafe(48),
    )
    env.update(extra)
    return env

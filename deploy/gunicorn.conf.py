"""Gunicorn settings for the ASGI web process: `gunicorn -c deploy/gunicorn.conf.py aitcore.asgi:application`.

Every value can be overridden from the environment (GUNICORN_* / WEB_CONCURRENCY).
"""
import os
import shutil
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


try:  # the maintained worker (package `uvicorn-worker`); uvicorn.workers is deprecated since uvicorn 0.30
    import uvicorn_worker  # noqa: F401

    worker_class = "uvicorn_worker.UvicornWorker"
except ImportError:
    worker_class = "uvicorn.workers.UvicornWorker"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Each worker is an event loop: a couple per CPU is plenty; size with WEB_CONCURRENCY per container.
workers = _int("WEB_CONCURRENCY", 2)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than nginx's upstream keepalive_timeout so the proxy always closes idle connections first.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Off by default: recycling a worker drops its open websockets.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
# Heartbeat files on tmpfs: the container's root filesystem may be read-only.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if Path("/dev/shm").is_dir() else None)
# Only the proxy reaches the pods; it sets X-Forwarded-For/-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# nginx / the ingress controller write the access log.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn >= 25 opens a control socket under $HOME, which is read-only in the image (older
# versions ignore the unknown name).
control_socket_disable = True

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
    },
    "root": {"level": loglevel.upper(), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


def _multiproc_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir")
    return Path(value) if value else None


def on_starting(server):
    """Start from an empty prometheus_client multiprocess directory.

    Files left by a previous master would be merged into /metrics and make counters jump.
    """
    directory = _multiproc_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for entry in directory.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the aggregated metrics."""
    if _multiproc_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

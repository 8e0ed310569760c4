#!/bin/sh
# Every process of the image (gunicorn, celery worker/beat, manage.py) starts here.
set -eu

# prometheus_client multiprocess mode keeps one file per process in this directory; files
# from a previous run of the container would be merged into the next scrape.
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -delete
fi

exec "$@"

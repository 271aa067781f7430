#!/bin/sh
# The image's entrypoint: `web`, `worker` or `release`, or any command as given.
set -e

case "${1:-web}" in
web)
    [ "$#" -gt 0 ] && shift
    # gunicorn's settings come from the environment (webapp/operations/gunicorn_conf.py).
    exec gunicorn -c python:webapp.operations.gunicorn_conf "$@" wsgi:app
    ;;
worker)
    shift
    : "${REDIS_URL:?the worker needs REDIS_URL}"
    exec rq worker --with-scheduler --worker-class webapp.jobs.worker.HearthWorker \
        --url "$REDIS_URL" "$@" "${QUEUE_NAME:-hearth}"
    ;;
release)
    shift
    exec flask db upgrade "$@"
    ;;
*)
    exec "$@"
    ;;
esac

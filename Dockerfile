# syntax=docker/dockerfile:1
# Hearth: one image for its three processes, chosen by the command (see Procfile):
#   docker run IMAGE web       gunicorn, settings from PORT, WEB_CONCURRENCY, GUNICORN_TIMEOUT
#   docker run IMAGE worker    an RQ worker (REDIS_URL, QUEUE_NAME); extra flags go to rq
#   docker run IMAGE release   `flask db upgrade`, once per release before the new web serves
# Anything else runs as given, e.g. `docker run -it IMAGE flask check-deploy`.
# `docker build .` is all it takes. Here, with no Docker engine: `make image` (buildah).

# --- builder: the dependencies, in a virtual environment copied whole into the final stage.
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
# Only requirements.txt: this layer, the slow one, is rebuilt when a pin changes, never
# when code does. Every pin installs from a wheel (checked on amd64): no compiler needed.
# pip and setuptools leave the venv; pip's cache was never written (PIP_NO_CACHE_DIR).
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt \
    && /opt/venv/bin/pip uninstall --quiet --yes pip setuptools

# --- the image people run.
FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HEARTH_ENV=production \
    FLASK_APP=wsgi \
    PORT=8000 \
    UPLOAD_DIR=/app/uploads \
    GUNICORN_CMD_ARGS="--worker-tmp-dir /dev/shm"

# The user first: it changes never, so its layer is shared by every build.
RUN useradd --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin hearth \
    && mkdir -p /app/instance /app/uploads \
    && chown hearth:hearth /app/instance /app/uploads

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# instance/: the secret key when SECRET_KEY is unset (set it in production), the static
# files' compressed copies and the local mail outbox; uploads/: every uploaded file
# (UPLOAD_DIR). Nothing else is written.
VOLUME ["/app/instance", "/app/uploads"]
EXPOSE 8000
# The process is alive (never its dependencies: /readyz is for the load balancer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["web"]

# The code last, in one layer (.dockerignore lets in only what runs), owned by root: a
# code change rebuilds this layer alone, and the app cannot change its own code. The
# translations' compiled catalogues (.mo) are built here, from the committed .po files.
COPY . .
RUN pybabel compile --directory translations --domain messages
USER hearth

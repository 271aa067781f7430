# One image for the web and worker processes; choose with the command (see Procfile).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HEARTH_ENV=production \
    FLASK_APP=wsgi

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY webapp ./webapp
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY wsgi.py Procfile ./

RUN useradd --create-home --uid 10001 hearth \
    && mkdir -p /app/instance \
    && chown hearth:hearth /app/instance
USER hearth

EXPOSE 8000
# Web by default. Worker:
#   rq worker --with-scheduler --worker-class webapp.jobs.HearthWorker --url "$REDIS_URL" hearth
# Migrations (once per release): `flask db upgrade`.
CMD ["gunicorn", "-c", "python:webapp.gunicorn_conf", "wsgi:app"]

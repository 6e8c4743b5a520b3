FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
      nodejs npm curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.lock && npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN SECRET_KEY=build-only-collectstatic-$(head -c 32 /dev/urandom | base64) python manage.py collectstatic --no-input
USER nobody
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

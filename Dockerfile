# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=hmis_gov.settings.production
WORKDIR /app
RUN useradd --create-home --uid 1000 hmis
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir .
COPY --from=assets /app/node_modules ./node_modules
RUN mkdir -p /app/var/private /app/staticfiles && chown -R hmis:hmis /app/var /app/staticfiles
USER hmis
EXPOSE 8000
CMD ["gunicorn", "hmis_gov.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

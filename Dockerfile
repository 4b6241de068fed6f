# One image for the web, worker and beat services (see docker-compose.yml). Configuration comes only from the
# environment at run time; nothing secret is baked in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and HarfBuzz for WeasyPrint's PDFs, Noto fonts for Arabic and Latin text in them, gettext for
# compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin gcm \
    && mkdir -p /app /var/lib/gcm-portal/media \
    && chown gcm:gcm /var/lib/gcm-portal/media
WORKDIR /app

# Requirements first, so code changes do not reinstall every package.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .

# collectstatic and compilemessages import the settings, which insist on a SECRET_KEY outside DEBUG: this
# throwaway value exists only for these build commands and is not kept in the image's environment.
RUN DEBUG=false SECRET_KEY=build-only-not-used-at-run-time-0123456789abcdefghijklmnopqrstuvwxyz \
        python manage.py collectstatic --no-input -v 0 \
    && DEBUG=false SECRET_KEY=build-only-not-used-at-run-time-0123456789abcdefghijklmnopqrstuvwxyz \
        python manage.py compilemessages -v 0

USER gcm
EXPOSE 8000
# Behind a TLS-terminating proxy, settings trust X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER): gunicorn must
# take it only from that proxy, so its address comes from TRUSTED_PROXY_IPS (docker-compose.yml sets it);
# unset, gunicorn trusts 127.0.0.1 alone.
CMD ["sh", "-c", "exec gunicorn gcm_portal.wsgi:application --bind 0.0.0.0:8000 --workers 3 --access-logfile - --forwarded-allow-ips \"${TRUSTED_PROXY_IPS:-127.0.0.1}\""]

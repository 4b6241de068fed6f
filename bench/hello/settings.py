"""Bare Django: no apps, no middleware, no database. What any Django page costs at least on this machine."""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-hello-world-only-never-served-outside-loopback-0123456789")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
WSGI_APPLICATION = "bench.hello.wsgi.application"

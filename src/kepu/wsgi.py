"""The WSGI application for gunicorn: `gunicorn kepu.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
application = get_wsgi_application()

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mosty.settings")
application = get_wsgi_application()

# Load what every request shares and keep it out of the garbage collector's full passes
# (mosty/core/process.py says why and what it measured).
from mosty.core.process import settle  # noqa: E402

settle()

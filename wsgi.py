"""WSGI entry point for gunicorn: `gunicorn wsgi:app` (or 'assessment:create_app()')."""

from assessment import create_app, purge_at_start

app = create_app()
purge_at_start(app)

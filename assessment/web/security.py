"""Security headers on every response (Flask-Talisman), and the ones Talisman does not set.

Talisman sends the Content-Security-Policy, X-Content-Type-Options, X-Frame-Options,
Referrer-Policy, Permissions-Policy and (over HTTPS only) Strict-Transport-Security. This module
adds `Cache-Control: no-store` to everything but static files (pages, reports, PDFs and exports
carry an organisation's data) and `Referrer-Policy: no-referrer` to respondent pages, whose
address holds the secret of a private link.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: No inline script or style anywhere: templates link static files only. SVG charts use
#: presentation attributes (fill=…), which CSP does not govern.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

#: Everything a browser can offer that the app never uses is off.
PERMISSIONS_POLICY = {
    feature: "()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
}

#: Respondent pages: /r/<token>/…
RESPONDENT_PREFIX = "/r/"


def init_app(app: Flask) -> None:
    """Bind Talisman and the hook for the headers it does not set."""
    from ..extensions import talisman

    @app.after_request
    def private_headers(response: Response) -> Response:
        # Registered before Talisman's hook, so it runs after it (Flask runs them in reverse).
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        if request.path.startswith(RESPONDENT_PREFIX):
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Robots-Tag"] = "noindex"
        return response

    talisman.init_app(
        app,
        # TLS ends at the proxy in front (README "Security"); the app never redirects itself.
        force_https=False,
        # SESSION_COOKIE_SECURE comes from the environment (config.py), not from Talisman,
        # which would force it on for every request.
        session_cookie_secure=False,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        referrer_policy="same-origin",
        # Sent only when the request came over HTTPS (Talisman checks request.is_secure).
        strict_transport_security=True,
        strict_transport_security_include_subdomains=False,
    )

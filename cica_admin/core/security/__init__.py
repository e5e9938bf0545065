"""Hardening of the admin: login lockout, two-factor logins, session limits, security
headers and the rules for uploaded document files.

The third-party parts (django-axes, django-otp, django-csp) are configured in
``cica_admin/settings/base.py``; this package holds what the project adds to them.
"""

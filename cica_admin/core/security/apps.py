from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class SecurityConfig(AppConfig):
    name = "cica_admin.core.security"
    label = "cica_security"
    verbose_name = "Security"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks
        from django.db.models.signals import post_save

        from . import lockout, sessions

        checks.register(lockout.check_trusted_proxies, checks.Tags.security)

        user_logged_in.connect(
            sessions.stamp_login, dispatch_uid="cica_security_stamp_login"
        )
        post_save.connect(
            sessions.end_sessions_of_deactivated_user,
            sender=get_user_model(),
            dispatch_uid="cica_security_end_sessions",
        )


class TOTPConfig(TOTPDefaultConfig):
    """django-otp's TOTP devices, under a heading a clerk can read (not "OTP_TOTP")."""

    verbose_name = "Two-factor devices"

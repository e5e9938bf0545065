from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# client.login() calls authenticate() without a request, which django-axes refuses
# with an error. tests/security turns axes on and logs in through the login page, as
# a clerk does.
AXES_ENABLED = False
# Whatever a developer's .env says, the suite starts from the defaults.
REQUIRE_2FA = False
TRUSTED_PROXY_COUNT = 0

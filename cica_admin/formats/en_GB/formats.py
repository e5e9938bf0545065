"""British English as Django has it, but with the 24-hour clock the Secretariat
uses, so the admin's own lists say "1 Dec 2026, 00:15" as the audit log does, not
"12:15 a.m."."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

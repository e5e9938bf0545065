"""British English as Django has it, but with the 24-hour clock the Secretariat
uses, so the admin's own lists say "1 Dec 2026, 00:15" as the audit log does, not
"12:15 a.m.", and taking dates typed with dots (25.10.2006) as the spreadsheet
import does."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '25/10/2006', the admin's own calendar writes this
    "%d.%m.%Y",  # '25.10.2006'
    "%d/%m/%y",  # '25/10/06'
    "%Y-%m-%d",  # '2006-10-25'
]

"""Meetings, documents and decisions stated by the seeds (see ``registry.cica_record``).

Meetings are keyed here by a short label used only inside this module. Attendance is
recorded as the sources give it: named delegations where they name them (the First
Summit), reported figures elsewhere, never names made up from figures.
"""

import datetime

from cica_admin.core.dates import Precision
from registry.cica_record import BOTH, MFA, POA, SUMMIT_4_FIRST, SUMMIT_4_LAST
from registry.models import Status

from .models import (
    ActionKind,
    ChairRole,
    DecisionKind,
    DocumentKind,
    FigureGroup,
    Level,
    Procedure,
)

d = datetime.date
DAY, MONTH, YEAR, BEFORE, RANGE = (
    Precision.DAY,
    Precision.MONTH,
    Precision.YEAR,
    Precision.BEFORE,
    Precision.RANGE,
)

# code, name, meeting name, max interval in calendar years, rule as stated, rank,
# source
BODIES = [
    ("summit", "Meeting of Heads of State and Government (Summit)", "Summit", 4,
     "The supreme authority, convening every 4 years.", 10, MFA),
    ("ministerial", "Meeting of Ministers of Foreign Affairs (Ministerial Meeting)",
     "Ministerial Meeting", 2,
     "Convenes every 2 years in accordance with the Rules of Procedure.", 20, MFA),
    ("soc", "Senior Officials Committee (SOC)", "Senior Officials Committee", 1,
     "Holds meetings no less than once a year.", 30, MFA),
    ("swg", "Special Working Group (SWG)", "Special Working Group", None, "", 40, MFA),
    ("sme", "Specialized Meeting of Experts (SME)", "Specialized Meeting of Experts",
     None, "", 50, MFA),
    ("informal-ministerial", "Informal meeting of Ministers of Foreign Affairs",
     "Informal Ministerial Meeting", None, "", 60, MFA),
    ("commemorative", "Commemorative session", "Commemorative Session", None, "", 70,
     MFA),
    ("preparatory", "Meetings of representatives of Foreign Ministries (preparatory)",
     "Preparatory Meeting", None, "", 80, MFA),
    ("deputy-ministers", "Meeting of Deputy Foreign Ministers",
     "Meeting of Deputy Foreign Ministers", None, "", 81, MFA),
    ("colloquium", "International colloquium", "Colloquium", None, "", 82, MFA),
    ("chiefs-of-police", "Meeting of chiefs of police", "Meeting of Chiefs of Police",
     None, "", 90, POA),
]  # fmt: skip

# What the sources say of a body's rule and of how complete its meetings' record is.
BODY_RECORD = {
    # 000: the Ministerial Meeting convenes "in accordance with the Rules of procedure
    # every 2 years"; the Rules of Procedure were adopted at the Second Ministerial
    # Meeting, 22 October 2004, and amended in 2014. The seed does not say which
    # version sets the two-year rule: taking it as in force from 2004 is an inference
    # (the earliest it can be), and the basis says so.
    "ministerial": dict(
        cadence_valid_from=d(2004, 10, 22),
        cadence_valid_from_precision=DAY,
        cadence_basis="Rules of Procedure, adopted at the Second Ministerial Meeting, "
        "22 October 2004 (the MFA page); the source does not date the two-year rule "
        "itself, so "
        "it is taken as in force from their adoption",
    ),
    # 000: the SOC holds "meetings no less than once a year"; the sources mention one
    # meeting of it (003, 2008).
    "soc": dict(
        meetings_incomplete=True,
        meetings_incomplete_reason="The SOC meets at least once a year (the MFA "
        "page); the sources mention only its meeting of 2008 (the UN PoA profile of "
        "2012).",
    ),
}

# key: body, ordinal, title, start, precision, end, city, host, notes, source
MEETINGS = {
    "preparatory": dict(
        body="preparatory", ordinal=None,
        title="Meetings of representatives of Foreign Ministries of Asian states, "
        "1993-1994",
        start=d(1993, 1, 1), start_precision=YEAR, end=d(1994, 1, 1),
        end_precision=YEAR, city="", host_country="",
        notes="Three meetings were held in 1993-1994; the source gives no dates. They "
        "established the Special Working Group and considered drafts of the basic "
        "documents.",
        source=MFA,
    ),
    "deputy-ministers": dict(
        body="deputy-ministers", ordinal=None,
        title="Meetings of Deputy Foreign Ministers, 1996-1997",
        start=d(1996, 1, 1), start_precision=YEAR, end=d(1997, 1, 1),
        end_precision=YEAR, city="Almaty",
        host_country="KZ",
        notes="Two meetings were held in 1996-1997 in Almaty; the source gives no "
        "dates.",
        source=MFA,
    ),
    "colloquium": dict(
        body="colloquium", ordinal=None,
        title="International colloquium on the CICA issues",
        start=d(1998, 10, 1), start_precision=MONTH, end=None, city="Almaty",
        host_country="KZ", notes="", source=MFA,
    ),
    "ministerial-1": dict(
        body="ministerial", ordinal=1, title="", start=d(1999, 9, 14),
        start_precision=DAY, end=None, city="", host_country="",
        notes="The source does not give the venue.",
        source=MFA,
    ),
    "summit-1": dict(
        body="summit", ordinal=1, title="", start=d(2002, 6, 4), start_precision=DAY,
        end=None, city="", host_country="",
        notes="The UN PoA profile of 2012: CICA was formally launched in 2002 with 16 "
        "members. Besides the "
        "heads of delegation named, representatives of states and observer "
        "organizations attended; the source does not name them. The venue is not "
        "given.",
        source=BOTH,
    ),
    "ministerial-2": dict(
        body="ministerial", ordinal=2, title="", start=d(2004, 10, 22),
        start_precision=DAY, end=None, city="", host_country="",
        notes="Thailand was admitted as the 17th member on the eve of the meeting.",
        source=MFA,
    ),
    "summit-2": dict(
        body="summit", ordinal=2, title="", start=d(2006, 6, 17), start_precision=DAY,
        end=None, city="", host_country="",
        notes="The CICA Secretariat opened in Almaty the same day.", source=MFA,
    ),
    "ministerial-3": dict(
        body="ministerial", ordinal=3, title="", start=d(2008, 8, 25),
        start_precision=DAY, end=None, city="Almaty", host_country="KZ", notes="",
        source=MFA,
    ),
    "sme-2008": dict(
        body="sme", ordinal=None, title="CICA experts meeting on confidence building "
        "measures", start=d(2008, 1, 1), start_precision=YEAR, end=None, city="",
        host_country="", notes="Organized by Turkey.", source=POA,
    ),
    "soc-2008": dict(
        body="soc", ordinal=None, title="Senior Officials Committee, 2008",
        start=d(2008, 1, 1), start_precision=YEAR, end=None, city="", host_country="",
        notes="Approved an action plan covering border control and management, "
        "police-related issues, terrorism and trafficking.", source=POA,
    ),
    "police-2010": dict(
        body="chiefs-of-police", ordinal=1, title="", start=d(2010, 5, 1),
        start_precision=MONTH, end=None, city="", host_country="",
        notes="The first CICA chiefs of police meeting, organized by Turkey.",
        source=POA,
    ),
    "summit-3": dict(
        body="summit", ordinal=3, title="", start=d(2010, 6, 8), start_precision=DAY,
        end=None, city="Istanbul", host_country="TR",
        notes="The Chairmanship passed from Kazakhstan to Turkey, for the first time "
        "in CICA's history.", source=MFA,
    ),
    "informal-2011": dict(
        body="informal-ministerial", ordinal=1, title="", start=d(2011, 9, 26),
        start_precision=DAY, end=None, city="New York", host_country="",
        notes="On the sidelines of the UN General Assembly, on the initiative of the "
        "Turkish presidency. Bahrain and Cambodia signed the CICA basic documents; the "
        "source does not list which documents.", source=MFA,
    ),
    "commemorative-2012": dict(
        body="commemorative", ordinal=None,
        title="Commemorative session on the 20th anniversary of the idea of convening "
        "CICA", start=d(2012, 9, 12), start_precision=DAY, end=None, city="Astana",
        host_country="KZ",
        notes="Opened by the President of Kazakhstan, held with the Fourth Ministerial "
        "Meeting; the attendance reported there covers both.", source=MFA,
    ),
    "ministerial-4": dict(
        body="ministerial", ordinal=4, title="", start=d(2012, 9, 12),
        start_precision=DAY, end=None, city="Astana", host_country="KZ",
        notes="China announced its readiness to be the next CICA Chairman.", source=MFA,
    ),
    "informal-2013": dict(
        body="informal-ministerial", ordinal=None,
        title="Informal meeting of the CICA Ministers of Foreign Affairs, 2013",
        start=d(2013, 9, 25), start_precision=DAY, end=None, city="New York",
        host_country="",
        notes="On the margins of the 68th Session of the UN General Assembly, "
        "initiated by the Turkish Chairmanship.", source=MFA,
    ),
    "summit-4": dict(
        body="summit", ordinal=4, title="", start=d(2014, 5, 20), start_precision=DAY,
        end=d(2014, 5, 21), city="Shanghai", host_country="CN",
        notes="China assumed the Chairmanship from Turkey. For the first time, the UN "
        "Secretary-General took part.", source=MFA,
    ),
}  # fmt: skip

# meeting, party code, role, person
CHAIRS = [
    ("ministerial-4", "KAZ", ChairRole.CO_CHAIR, "Minister of Foreign Affairs"),
    ("ministerial-4", "TUR", ChairRole.CO_CHAIR, "Minister of Foreign Affairs"),
    ("informal-2013", "TUR", ChairRole.CHAIR,
     "Ahmet Davutoğlu, Minister of Foreign Affairs of the Republic of Turkey"),
]  # fmt: skip

HEADS_2002 = (
    "The MFA page: the First Summit 'brought together the heads of' these states."
)
# meeting, party code, level, head title, note
DELEGATIONS = [
    *[("summit-1", code, Level.HEAD_OF_STATE, "", HEADS_2002)
      for code in ("KAZ", "RUS", "CHN", "PAK", "TUR", "MNG", "KGZ", "TJK", "AFG")],
    *[("summit-1", code, Level.HEAD_OF_GOVERNMENT, "Prime Minister", "")
      for code in ("AZE", "IND")],
    *[("summit-1", code, Level.AUTHORIZED_OFFICIAL, "", "")
      for code in ("IRN", "EGY", "PSE", "ISR")],
    ("informal-2011", "BHR", Level.UNKNOWN, "", "Signed the CICA basic documents."),
    ("informal-2011", "KHM", Level.UNKNOWN, "", "Signed the CICA basic documents."),
    ("summit-4", "UN", Level.OTHER, "Secretary-General of the United Nations",
     "For the first time, the UN Secretary-General took part in the Summit."),
]  # fmt: skip

# meeting, group, count, wording
FIGURES = [
    ("colloquium", FigureGroup.OTHER, 24, "24 experts"),
    ("colloquium", FigureGroup.OTHER, 12, "from 12 States"),
    ("ministerial-3", FigureGroup.MEMBER_STATES, 19, "delegations of 19 Member States"),
    ("ministerial-3", FigureGroup.OBSERVER_STATES, 7, "7 observer-countries"),
    ("ministerial-3", FigureGroup.ORGANIZATIONS, 6,
     "6 international and regional organizations"),
    ("summit-3", FigureGroup.OTHER, 9, "9 Heads of States and Governments"),
    ("summit-3", FigureGroup.OTHER, 6,
     "6 Vice-Presidents, Speakers of Parliament and Deputy Prime Ministers"),
    ("summit-3", FigureGroup.OTHER, 14, "14 Ministers and Special Envoys"),
    ("summit-3", FigureGroup.ORGANIZATIONS, 16, "16 international organizations"),
    ("ministerial-4", FigureGroup.MEMBER_STATES, 24, "delegations of 24 Member States"),
    ("ministerial-4", FigureGroup.OBSERVER_STATES, 8, "8 observer countries"),
    ("ministerial-4", FigureGroup.ORGANIZATIONS, 16,
     "16 international and regional organizations"),
    ("summit-4", FigureGroup.STATES_AND_ORGANIZATIONS, 47,
     "47 states and international organizations"),
]  # fmt: skip

# key: kind, title, meeting, date, precision, amends, supersedes, counterpart, note
DOCUMENTS = {
    "principles": dict(
        kind=DocumentKind.DECLARATION,
        title="Declaration on the Principles Guiding Relations among the CICA Member "
        "States", meeting="ministerial-1", date=d(1999, 9, 14), precision=DAY,
        note="Founding document, signed by the CICA Foreign Ministers.", source=BOTH,
    ),
    "almaty-act": dict(
        kind=DocumentKind.ACT, title="Almaty Act", meeting="summit-1",
        date=d(2002, 6, 4), precision=DAY,
        note="Founding document, signed by the Heads of State and Government.",
        source=BOTH,
    ),
    "declaration-2002": dict(
        kind=DocumentKind.DECLARATION,
        title="Declaration on Eliminating Terrorism and Promoting Dialogue among "
        "Civilizations", meeting="summit-1", date=d(2002, 6, 4), precision=DAY,
        note="", source=MFA,
    ),
    "catalogue": dict(
        kind=DocumentKind.CATALOGUE, title="Catalogue of Confidence Building Measures",
        meeting="ministerial-2", date=d(2004, 10, 22), precision=DAY, note="",
        source=BOTH,
    ),
    "rules-2004": dict(
        kind=DocumentKind.RULES_OF_PROCEDURE, title="Rules of Procedure",
        meeting="ministerial-2", date=d(2004, 10, 22), precision=DAY, note="",
        source=MFA,
    ),
    "declaration-2004": dict(
        kind=DocumentKind.DECLARATION, title="Declaration of the Second Ministerial "
        "Meeting", meeting="ministerial-2", date=d(2004, 10, 22), precision=DAY,
        note="", source=MFA,
    ),
    "statute": dict(
        kind=DocumentKind.STATUTE, title="Statute of the CICA Secretariat",
        meeting="summit-2", date=d(2006, 6, 17), precision=DAY,
        note="With its appendix, the Financial rules.", source=MFA,
    ),
    "financial-rules": dict(
        kind=DocumentKind.OTHER,
        title="Financial rules (appendix to the Statute of the CICA Secretariat)",
        meeting="summit-2", date=d(2006, 6, 17), precision=DAY,
        note="Signed with the Statute, its appendix; the ratification recorded is the "
        "Statute's.", source=MFA,
    ),
    "declaration-2006": dict(
        kind=DocumentKind.DECLARATION, title="Declaration of the Second Summit of "
        "Heads of States and Governments", meeting="summit-2", date=d(2006, 6, 17),
        precision=DAY, note="", source=MFA,
    ),
    "external-relations": dict(
        kind=DocumentKind.GUIDELINES, title="Guidelines for the CICA's External "
        "Relations", meeting=None, date=d(2007, 1, 1), precision=YEAR, note="",
        source=MFA,
    ),
    "host-country": dict(
        kind=DocumentKind.AGREEMENT, title="Host Country Agreement", meeting=None,
        date=d(2007, 1, 1), precision=YEAR, note="Signed in 2007.", source=MFA,
    ),
    "symbols": dict(
        kind=DocumentKind.REGULATION, title="Regulation on the CICA symbols",
        meeting=None, date=None, precision=Precision.UNKNOWN,
        note="Listed among the basic documents; no date given.", source=MFA,
    ),
    "cooperative-approach": dict(
        kind=DocumentKind.OTHER, title="Cooperative approach for implementation of the "
        "CBMs", meeting=None, date=None, precision=Precision.UNKNOWN,
        note="Listed among the basic documents; no date given. Its practical "
        "implementation was discussed at the Third Ministerial Meeting.", source=MFA,
    ),
    "protocol-2008": dict(
        kind=DocumentKind.PROTOCOL, title="Protocol amending the Statute of the CICA "
        "Secretariat", meeting=None, date=d(2008, 1, 1), precision=YEAR,
        amends="statute",
        note="Provides for the transfer of the Secretariat from Almaty to Astana. "
        "Reported in the account of the Third Ministerial Meeting.", source=MFA,
    ),
    "declaration-2008": dict(
        kind=DocumentKind.DECLARATION, title="Declaration of the Third Ministerial "
        "Meeting", meeting="ministerial-3", date=d(2008, 8, 25), precision=DAY,
        note="Also given as the Declaration “The CICA Progress in implementation of "
        "Confidence Building Measures”.", source=MFA,
    ),
    "final-decision-2008": dict(
        kind=DocumentKind.DECISION, title="Final decision of the Third Ministerial "
        "Meeting", meeting="ministerial-3", date=d(2008, 8, 25), precision=DAY,
        note="", source=MFA,
    ),
    "action-plan-2008": dict(
        kind=DocumentKind.ACTION_PLAN, title="Action plan covering border control and "
        "management, police-related issues, terrorism and trafficking issues",
        meeting="soc-2008", date=d(2008, 1, 1), precision=YEAR,
        note="Provides for a network of national focal points, regular meetings, "
        "training seminars and information exchange.", source=POA,
    ),
    "convention": dict(
        kind=DocumentKind.CONVENTION, title="Convention on Privileges and Immunities "
        "of the Secretariat, its personnel and representatives of the CICA",
        meeting="summit-3", date=d(2010, 6, 8), precision=DAY, note="", source=MFA,
    ),
    "declaration-2010": dict(
        kind=DocumentKind.DECLARATION, title="Declaration of the Third Summit of Heads "
        "of States and Governments", meeting="summit-3", date=d(2010, 6, 8),
        precision=DAY, note="", source=MFA,
    ),
    "declaration-2012": dict(
        kind=DocumentKind.DECLARATION, title="Declaration of the Fourth Ministerial "
        "Meeting", meeting="ministerial-4", date=d(2012, 9, 12), precision=DAY,
        note="", source=MFA,
    ),
    "rules-2014": dict(
        kind=DocumentKind.RULES_OF_PROCEDURE, title="Rules of Procedure (2014)",
        meeting="summit-4", date=SUMMIT_4_FIRST, precision=RANGE,
        date_latest=SUMMIT_4_LAST, amends="rules-2004",
        note="The MFA page calls them both “the new Rules of Procedure” (Fourth "
        "Summit) and “amendments of 2014” (basic documents).", source=MFA,
    ),
    "sco-mou": dict(
        kind=DocumentKind.MEMORANDUM, title="Memorandum of Understanding between the "
        "Shanghai Cooperation Organization and the Secretariat of CICA",
        meeting="summit-4", date=SUMMIT_4_FIRST, precision=RANGE,
        date_latest=SUMMIT_4_LAST, counterpart="SCO",
        note="", source=MFA,
    ),
    "eurasec-mou": dict(
        kind=DocumentKind.MEMORANDUM, title="Memorandum of Understanding with EurAsEC",
        meeting=None, date=None, precision=Precision.UNKNOWN, counterpart="EurAsEC",
        note="Provides for cooperation and exchange of information, best practices and "
        "experiences; no date given.", source=POA,
    ),
    "declaration-2014": dict(
        kind=DocumentKind.DECLARATION, title="Declaration of the Fourth CICA Summit",
        meeting="summit-4", date=SUMMIT_4_FIRST, precision=RANGE,
        date_latest=SUMMIT_4_LAST,
        note="«Enhancing Dialogue, Trust and Coordination for a New Asia of Peace, "
        "Stability and Cooperation».", source=MFA,
    ),
}  # fmt: skip

# document, party, action, date, precision
ACTIONS = [
    ("statute", "KAZ", ActionKind.RATIFICATION, d(2007, 2, 1), MONTH),
    ("host-country", "KAZ", ActionKind.RATIFICATION, d(2008, 3, 1), MONTH),
    ("convention", "KAZ", ActionKind.RATIFICATION, d(2011, 11, 1), MONTH),
]

# kind, procedure, meeting, date, precision, text, standing changes caused
# (party code, status), chairmanship terms (party code, is an extension), source.
# A decision is found again by (kind, procedure, meeting), unique in the seeds, and
# what it points at by keys a clerk would not correct (not by dates).
DECISIONS = [
    (DecisionKind.ADMISSION, Procedure.OTHER, None, d(2004, 10, 22), BEFORE,
     "Admission of the Kingdom of Thailand as the 17th CICA Member State, on the eve "
     "of the Second Ministerial Meeting.",
     [("THA", Status.MEMBER)], [], MFA),
    (DecisionKind.ADMISSION, Procedure.MEETING, "ministerial-3", None, DAY,
     "The Hashemite Kingdom of Jordan and the United Arab Emirates are granted full "
     "member status.",
     [("JOR", Status.MEMBER), ("ARE", Status.MEMBER)],
     [], MFA),
    (DecisionKind.OBSERVER_STATUS, Procedure.MEETING, "ministerial-3", None, DAY,
     "The State of Qatar joins CICA as an observer.",
     [("QAT", Status.OBSERVER)], [], MFA),
    (DecisionKind.CHAIRMANSHIP, Procedure.MEETING, "summit-3", None, DAY,
     "The Chairmanship is transferred from the Republic of Kazakhstan to the Republic "
     "of Turkey.", [], [("KAZ", False), ("TUR", False)], MFA),
    (DecisionKind.CHAIRMANSHIP, Procedure.OTHER, None, d(2012, 4, 1), MONTH,
     "Kazakhstan's proposal to extend the Chairmanship of Turkey for the next two "
     "years (2012-14) receives the support of most CICA Member States.",
     [], [("TUR", True)], MFA),
    (DecisionKind.OBSERVER_STATUS, Procedure.MEETING, "ministerial-4", None, DAY,
     "Observer status is granted to TurkPA.",
     [("TurkPA", Status.OBSERVER)], [], MFA),
    (DecisionKind.CHAIRMANSHIP, Procedure.SILENCE, None, d(2012, 10, 1), MONTH,
     "The candidacy of China for the CICA Chairmanship for 2014-2016 is approved by "
     "the Member States through the silence procedure.",
     [], [("CHN", False)], MFA),
    (DecisionKind.ADMISSION, Procedure.MEETING, "summit-4", None, DAY,
     "Qatar and Bangladesh join CICA as full members.",
     [("QAT", Status.MEMBER), ("BGD", Status.MEMBER)],
     [], MFA),
    (DecisionKind.CHAIRMANSHIP, Procedure.MEETING, "summit-4", None, DAY,
     "China assumes the Chairmanship of CICA from Turkey.",
     [], [("TUR", True), ("CHN", False)], MFA),
]  # fmt: skip

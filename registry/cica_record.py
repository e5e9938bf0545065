"""The registry facts stated by the two source documents in ``shared/seeds``.

Nothing here is inferred beyond what the sources say; where they give no date, the
precision says so. The code's comments cite the sources by their file's number; what a
clerk reads (sources, bases, notes) names them by title and date, as each document
gives them in its first lines:

* ``000`` (``MFA``) — the Kazakhstan MFA page "Conference on Interaction and Confidence
  Building Measures in Asia (CICA)", filed under Foreign Policy > International
  Organizations. It gives no date of its own and describes events up to the Fourth
  Summit (20-21 May 2014).
* ``003`` (``POA``) — the CICA profile in the UN PoA database; its information is
  "accurate as of 13 June 2012".
"""

import datetime

from django_countries import countries

from cica_admin.core.dates import Precision

from .models import HorizonKind, SeatEventKind, Status

MFA = "Kazakhstan MFA, web page on CICA (undated; events up to 21 May 2014)"
POA = "UN PoA database, CICA profile (information accurate as of 13 June 2012)"
BOTH = f"{MFA}; {POA}"  # 145 characters: a source field holds 200

d = datetime.date
LAUNCH = d(2002, 6, 4)
POA_AS_OF = d(2012, 6, 13)

# (alpha-2, name as the sources write it). Territory in Asia: every member (003: "A
# country can join CICA as a member if at least part of its territory is in Asia").
FOUNDING_MEMBERS = [
    ("AF", "Afghanistan"),
    ("AZ", "Azerbaijan"),
    ("CN", "China"),
    ("EG", "Egypt"),
    ("IN", "India"),
    ("IR", "Iran"),
    ("IL", "Israel"),
    ("KZ", "Kazakhstan"),
    ("KG", "Kyrgyzstan"),
    ("MN", "Mongolia"),
    ("PK", "Pakistan"),
    ("PS", "Palestine"),
    ("RU", "Russia"),
    ("TJ", "Tajikistan"),
    ("TR", "Turkey"),
    ("UZ", "Uzbekistan"),
]
FOUNDING_BASIS = (
    "Member when CICA was formally launched with 16 members at the First Summit, "
    "4 June 2002 (the UN PoA profile of 2012: 'formally launched in 2002 with 16 "
    "members'; the MFA page: First Summit on June 4, 2002). The sources do not give "
    "its date of joining. The sixteen are the 26 members listed by the MFA page less "
    "the ten admitted later."
)

LATER_MEMBERS = [
    ("TH", "Thailand"),
    ("KR", "Republic of Korea"),
    ("JO", "Jordan"),
    ("AE", "United Arab Emirates"),
    ("IQ", "Iraq"),
    ("VN", "Vietnam"),
    ("BH", "Bahrain"),
    ("KH", "Cambodia"),
    ("QA", "Qatar"),
    ("BD", "Bangladesh"),
]

# States 003 names: its 24 "current members" (as of 13 June 2012) and the two
# observers from outside Asia. The others are named by 000 only.
NAMED_BY_POA = {code for code, _ in FOUNDING_MEMBERS} | {
    "TH", "KR", "JO", "AE", "IQ", "VN", "BH", "KH", "UA", "US",
}  # fmt: skip

# 003: "CICA does not have a regular budget. [...] Kazakhstan has always been the
# largest contributor, while Azerbaijan, China, Iran, Israel, Pakistan, the Russian
# Federation, South Korea, and Tajikistan are also known to have made contributions."
# No amounts are given, so the record holds none: only these notes.
CONTRIBUTOR_NOTES = {
    "KZ": "Contributions: always the largest contributor to CICA's voluntary budget "
    "(the UN PoA profile of 2012).",
    **{
        code: "Contributions: known to have made voluntary contributions (the UN PoA "
        "profile of 2012)."
        for code in ("AZ", "CN", "IR", "IL", "PK", "RU", "KR", "TJ")
    },
}

OBSERVER_STATES = [
    # (alpha-2, name, territory in Asia). 003: eight observer states, "two of which are
    # from outside Asia: Ukraine and the United States".
    ("UA", "Ukraine", False),
    ("US", "United States", False),
    ("ID", "Indonesia", True),
    ("JP", "Japan", True),
    ("MY", "Malaysia", True),
    ("PH", "Philippines", True),
    ("LK", "Sri Lanka", True),
]

ORGANIZATIONS = [
    # (acronym, full name as the sources give it; the acronym where they give no other)
    ("UN", "United Nations", MFA),
    ("OSCE", "Organization for Security and Cooperation in Europe", MFA),
    ("LAS", "League of Arab States", MFA),
    ("TurkPA", "TurkPA", MFA),
    ("SCO", "Shanghai Cooperation Organization", MFA),
    ("EurAsEC", "EurAsEC", POA),
]

THIRD_MINISTERIAL = (
    "Decided at the Third Ministerial Meeting, Almaty, 25 August 2008, which granted "
    "Jordan and the United Arab Emirates full member status and at which Qatar joined "
    "as an observer."
)
FOURTH_SUMMIT = (
    "Joined as a full member at the Fourth Summit, Shanghai, 20-21 May 2014. The "
    "source does not say on which of the two days: recorded as one of them."
)
# 000: "The Fourth Summit of CICA took place on 20-21 May 2014": what happened at it
# happened on one of these days, and the source does not say which.
SUMMIT_4_FIRST, SUMMIT_4_LAST = d(2014, 5, 20), d(2014, 5, 21)
ASOF_2012 = (
    "Listed as an observer in the profile whose membership data is accurate as of "
    "13 June 2012; the date it became one is not given."
)
UNDATED_2014 = (
    "Listed among the observers by the MFA page, which describes events up to May "
    "2014; no date of its observer status is given."
)

# (code, status, date, precision, basis, source[, latest possible day])
STANDING = [
    *[
        (
            countries.alpha3(c),
            Status.MEMBER,
            LAUNCH,
            Precision.BEFORE,
            FOUNDING_BASIS,
            BOTH,
        )
        for c, _ in FOUNDING_MEMBERS
    ],
    (
        "THA",
        Status.MEMBER,
        d(2004, 10, 22),
        Precision.BEFORE,
        "Admitted as the 17th CICA Member State on the eve of the Second Ministerial "
        "Meeting of 22 October 2004.",
        BOTH,
    ),
    ("KOR", Status.MEMBER, d(2006, 1, 1), Precision.YEAR, "Joined in 2006.", POA),
    ("JOR", Status.MEMBER, d(2008, 8, 25), Precision.DAY, THIRD_MINISTERIAL, BOTH),
    ("ARE", Status.MEMBER, d(2008, 8, 25), Precision.DAY, THIRD_MINISTERIAL, BOTH),
    ("IRQ", Status.MEMBER, d(2010, 1, 1), Precision.YEAR, "Joined in 2010.", POA),
    ("VNM", Status.MEMBER, d(2010, 1, 1), Precision.YEAR, "Joined in 2010.", POA),
    (
        "BHR",
        Status.MEMBER,
        d(2011, 1, 1),
        Precision.YEAR,
        "Joined in 2011 (the UN PoA profile of 2012). Signed the CICA basic documents "
        "on 26 September 2011 at the first informal meeting of Foreign Ministers, New "
        "York (the MFA page).",
        BOTH,
    ),
    (
        "KHM",
        Status.MEMBER,
        d(2011, 1, 1),
        Precision.YEAR,
        "Joined in 2011 (the UN PoA profile of 2012). Signed the CICA basic documents "
        "on 26 September 2011 at the first informal meeting of Foreign Ministers, New "
        "York (the MFA page).",
        BOTH,
    ),
    ("QAT", Status.OBSERVER, d(2008, 8, 25), Precision.DAY, THIRD_MINISTERIAL, MFA),
    (
        "QAT",
        Status.MEMBER,
        SUMMIT_4_FIRST,
        Precision.RANGE,
        FOURTH_SUMMIT,
        MFA,
        SUMMIT_4_LAST,
    ),
    (
        "BGD",
        Status.MEMBER,
        SUMMIT_4_FIRST,
        Precision.RANGE,
        FOURTH_SUMMIT,
        MFA,
        SUMMIT_4_LAST,
    ),
    ("UKR", Status.OBSERVER, POA_AS_OF, Precision.BEFORE, ASOF_2012, POA),
    ("USA", Status.OBSERVER, POA_AS_OF, Precision.BEFORE, ASOF_2012, POA),
    ("UN", Status.OBSERVER, POA_AS_OF, Precision.BEFORE, ASOF_2012, BOTH),
    ("OSCE", Status.OBSERVER, POA_AS_OF, Precision.BEFORE, ASOF_2012, BOTH),
    ("LAS", Status.OBSERVER, POA_AS_OF, Precision.BEFORE, ASOF_2012, BOTH),
    (
        "TurkPA",
        Status.OBSERVER,
        d(2012, 9, 12),
        Precision.DAY,
        "Granted observer status at the Fourth Ministerial Meeting, Astana, "
        "12 September 2012.",
        MFA,
    ),
    *[
        (c, Status.OBSERVER, None, Precision.UNKNOWN, UNDATED_2014, MFA)
        for c in ("IDN", "JPN", "MYS", "PHL", "LKA")
    ],
]

# Chairmanship terms: (key, code, start, precision, planned end, precision,
# actual end, precision, extends key, basis, note)
CHAIRMANSHIP = [
    {
        "key": "KAZ",
        "party": "KAZ",
        "start": d(2008, 8, 25),
        "start_precision": Precision.BEFORE,
        "actual_end": d(2010, 6, 8),
        "actual_end_precision": Precision.DAY,
        "basis": (
            "The President of Kazakhstan addressed the Third Ministerial Meeting "
            "(25 August 2008) as CICA Chairman. At the Third Summit, Istanbul, "
            "8 June 2010, the Chairmanship passed to Turkey, for the first time in "
            "CICA's history."
        ),
        "note": "Chair from before 25 August 2008; the sources do not say since when.",
    },
    {
        "key": "TUR-1",
        "party": "TUR",
        "start": d(2010, 6, 8),
        "start_precision": Precision.DAY,
        "planned_end": d(2012, 1, 1),
        "planned_end_precision": Precision.YEAR,
        "basis": "Chairmanship transferred from Kazakhstan at the Third Summit, "
        "Istanbul, 8 June 2010.",
        "note": "A two-year term, 2010-2012, later extended.",
    },
    {
        "key": "TUR-2",
        "party": "TUR",
        "extends": "TUR-1",
        "start": d(2012, 1, 1),
        "start_precision": Precision.YEAR,
        "planned_end": d(2014, 1, 1),
        "planned_end_precision": Precision.YEAR,
        "actual_end": SUMMIT_4_FIRST,
        "actual_end_precision": Precision.RANGE,
        "actual_end_latest": SUMMIT_4_LAST,
        "basis": (
            "In April 2012 Kazakhstan's proposal to extend Turkey's Chairmanship for "
            "two more years received the support of most Member States: Turkey holds "
            "the Chairmanship for 2012-14. China took over at the Fourth Summit."
        ),
        "note": "The source does not say on which day of the Fourth Summit "
        "(20-21 May 2014) the term ended: recorded as one of them.",
    },
    {
        "key": "CHN",
        "party": "CHN",
        "start": SUMMIT_4_FIRST,
        "start_precision": Precision.RANGE,
        "start_latest": SUMMIT_4_LAST,
        "planned_end": d(2016, 1, 1),
        "planned_end_precision": Precision.YEAR,
        "basis": (
            "Candidacy for the Chairmanship for 2014-2016 approved by the Member "
            "States "
            "through the silence procedure in October 2012; China assumed the "
            "Chairmanship from Turkey at the Fourth Summit, Shanghai, 20-21 May 2014."
        ),
        "note": "The source does not say on which day of the Summit (20-21 May 2014) "
        "the term began: recorded as one of them.",
    },
]

SEAT_EVENTS = [
    {
        "kind": SeatEventKind.OPENED,
        "city": "Almaty",
        "country": "KZ",
        "date": d(2006, 6, 17),
        "precision": Precision.DAY,
        "basis": (
            "Opened in Almaty on the day of the Second Summit, after the Statute of "
            "the "
            "CICA Secretariat was signed; temporarily located in the representative "
            "office of the MFA in Almaty."
        ),
        "source": MFA,
    },
    {
        "kind": SeatEventKind.TRANSFER_AGREED,
        "city": "Astana",
        "country": "KZ",
        "date": d(2008, 1, 1),
        "precision": Precision.YEAR,
        "basis": (
            "Protocol amending the Statute of the CICA Secretariat, providing for the "
            "transfer of its headquarters from Almaty to Astana, signed in 2008 "
            "(reported with the Third Ministerial Meeting)."
        ),
        "source": MFA,
        "note": "The move itself is not recorded in the sources; the UN PoA profile "
        "of 2012 gives Almaty.",
    },
]

POSTS = [
    ("Executive Director", 10),
    ("Deputy Executive Director", 20),
    ("Professional staff", 30),
]

SECONDED_NOTE = (
    "Named in the MFA page (events up to May 2014; the Executive Director as "
    "Ambassador); dates of office not given. The UN PoA profile of 2012: members whose "
    "nationals work at the Secretariat cover their salaries and benefits."
)
# (post, holder name as given, nationality code)
POST_HOLDINGS = [
    # Names as printed in 000: "Ambassador Gong Jianwei (China)", "Ms. A.Bakytbekkyzy".
    ("Executive Director", "Gong Jianwei", "CHN"),
    ("Deputy Executive Director", "Ms. A.Bakytbekkyzy", "KAZ"),
    *[("Professional staff", "", code) for code in ("KAZ", "TUR", "RUS", "IND", "IRN")],
]

POINTS_OF_CONTACT = [
    {
        "subject": "Small arms and light weapons (UN Programme of Action)",
        "name": "Ahmet I . dem Akay",
        "position": (
            "Head of Department, Ministry of Foreign Affairs, member of the Ministry's "
            "CICA Task Force"
        ),
        "source": POA,
        "note": (
            "CICA's PoA point of contact. The name is given as printed in the source, "
            "which appears to have lost characters; the source does not say which "
            "state's ministry."
        ),
    },
]

# The horizon of each kind of fact: the last day the sources say how things stood.
# 000 has no date of its own; the last events it describes are those of the Fourth
# Summit, and its lists (members, observers, the Executive Director, "the main
# meetings", the documents) are taken as true on the Summit's last day, no later.
# 003's membership data is "accurate as of 13 June 2012", earlier than 000's.
MFA_HORIZON_NOTE = (
    "The MFA page describes events up to the Fourth Summit (20-21 May 2014) and gives "
    "no date of its own: what it lists is vouched for up to the Summit's last day."
)
HORIZONS = [
    (kind, SUMMIT_4_LAST, MFA, MFA_HORIZON_NOTE)
    for kind in (
        HorizonKind.STANDING,
        HorizonKind.CHAIRMANSHIP,
        HorizonKind.SECRETARIAT,
        HorizonKind.MEETINGS,
        HorizonKind.DOCUMENTS,
    )
]

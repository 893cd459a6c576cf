"""Build the three binary example files from the text defined below.

    python examples/make_examples.py

Writes, next to this script:

- deck_globex.pptx: Northwind's working-session deck for Globex Logistics (python-pptx)
- account_plan_initech.docx: the internal account plan for Initech Health (python-docx)
- one_pager.pdf: Northwind Forecast's two-page product sheet (fpdf2, core Helvetica font)

The text files in this folder (emails, web page, transcripts) are written by hand; only these
three need a script. Needs python-pptx, python-docx and fpdf2 (all in the ``dev`` extras).

The output is reproducible: document properties are fixed, and the two Office files are
re-zipped with fixed timestamps, so re-running this with the same library versions and
unchanged text gives byte-identical files and a clean ``git status``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent

SELLER = "Northwind Analytics"
ZIP_TIME = (2026, 11, 9, 8, 0, 0)


def _p(text: str) -> str:
    """One paragraph from an indented triple-quoted block: whitespace collapsed."""
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Deck for Globex Logistics: moderately customer-focused. Discovery questions, what we heard,
# outcomes in Globex's terms, mixed with a product slide and one "about us" slide.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    kind: str  # "title", "bullets", "flow" (grouped shapes) or "table"
    title: str
    body: tuple[str, ...] = ()
    notes: str = ""
    caption: str = ""


DECK = (
    Slide(
        "title",
        "Seeing every Globex renewal 90 days out",
        (
            "Working session with Globex Logistics revenue operations",
            "Northwind Analytics, 10 November 2026",
        ),
        notes=_p("""
            Thank Dana and the three regional leads for their time. Open by restating the goal
            Dana set in her email of 3 November: every renewal visible 90 days out, and a weekly
            call list for each account manager. Say up front that most of the hour is for their
            questions, not for a product tour.
        """),
    ),
    Slide(
        "bullets",
        "Agenda",
        (
            "What we heard from your team on 2 November",
            "Questions we still have about your renewal process",
            "What could change for your account managers",
            "How Northwind Forecast would fit, and what it could be worth to Globex",
            "A pilot proposal and next steps",
        ),
        notes=_p("""
            Five minutes at most. Ask whether anything is missing from the agenda before moving
            on; if the regional leads want to start with their own list, let them.
        """),
    ),
    Slide(
        "bullets",
        "Your renewal process today: questions for your team",
        (
            "How do your account managers decide which renewals to work on first each week?",
            "What usually tells you a shipper is at risk, and how late does that signal arrive?",
            "When a large shipper leaves, who finds out first, and what happens next?",
            "Which of your three renewal spreadsheets do your leaders trust, and why?",
            "What would your account managers stop doing if they had a reliable weekly list?",
        ),
        notes=_p("""
            Do not show anything else until these are answered. Let the regional leads do the
            talking and write down their words, not ours. If time is short, the first and the
            last question matter most.
        """),
    ),
    Slide(
        "bullets",
        "What we heard from Globex",
        (
            "About 400 shipper contracts renew each quarter, tracked in three regional "
            "spreadsheets",
            "At-risk renewals surface one to two weeks before the renewal date, too late to save",
            "Two large West-region shippers left last quarter: roughly $1.2M in annual revenue",
            "Your 38 account managers spend about six hours a week updating renewal spreadsheets",
            "Your 2027 goal: every renewal visible 90 days out, and a renewal forecast your CFO "
            "can rely on",
        ),
        notes=_p("""
            These are Dana's numbers, from the 2 November call and her email the next morning.
            Ask the room to correct anything we got wrong before we build on it. If the six
            hours figure is off, ask the account managers in the room for their own estimate.
        """),
    ),
    Slide(
        "bullets",
        "What changes for your account managers",
        (
            "Every Monday, each account manager gets a short list of the renewals that need a "
            "call this week",
            "Your team sees a shipper's volumes falling in your TMS months before the renewal",
            "Your regional leaders review one renewal forecast instead of reconciling three",
            "Risk scores for every shipper contract, refreshed nightly from Salesforce and the TMS",
            "Alerts arrive where your account managers already work: email and Salesforce tasks",
        ),
        notes=_p("""
            Tie each line back to something the team said on the previous slide. The risk score
            is a means, not the point; the point is the Monday list and the shippers it saves.
        """),
    ),
    Slide(
        "flow",
        "How Northwind Forecast fits your renewal process",
        (
            "1. Connect\nYour Salesforce and TMS data, read every night. No new forms for your "
            "account managers.",
            "2. Score\nEvery shipper contract gets a renewal risk score, with the reasons behind "
            "it.",
            "3. Act\nA Monday call list for each account manager, and one renewal forecast for "
            "your leaders.",
        ),
        notes=_p("""
            This is the only slide about how the product works. Keep it under three minutes and
            go back to their questions. If IT asks about data access, offer the security pack
            and a call with our solutions engineer this week.
        """),
        caption=_p("""
            Northwind Forecast reads Salesforce natively and most TMS platforms through our
            standard connectors; a pilot is usually live within two weeks.
        """),
    ),
    Slide(
        "table",
        "What this could be worth to Globex",
        (
            "Measure|Globex today|Pilot target|Value to Globex per year",
            "Renewals reviewed 90 days before the renewal date|About 10%|100%|"
            "Time to save at-risk shippers",
            "Large shippers lost per quarter|2 (about $1.2M annual revenue)|0 to 1|"
            "Up to $2.4M revenue kept",
            "Hours each account manager spends on renewal spreadsheets per week|6|Under 1|"
            "About 9,000 hours back with shippers",
        ),
        notes=_p("""
            Walk through one row at a time and ask Dana whether each figure is fair. If she
            changes a number, change it here, live. The hours row matters more to the account
            managers than the revenue row does.
        """),
        caption=_p("""
            Figures are Globex's own, from the 2 November call. Annual value assumes the pilot
            targets hold across all three regions (38 account managers, 48 working weeks).
        """),
    ),
    Slide(
        "bullets",
        "About Northwind Analytics",
        (
            "Founded in 2012; 900 employees in Seattle, Austin, London and Singapore",
            "More than 2,000 companies forecast with Northwind Forecast, 40 of them in logistics",
            "Named a Leader in the 2026 Revenue Intelligence Wave",
            "Our patented forecasting engine and more than 150 integrations",
        ),
        notes="One minute, and only if asked. Most of this belongs in the appendix.",
    ),
    Slide(
        "bullets",
        "Proposed pilot: your West region, eight weeks",
        (
            "Scope: the West region's 140 renewals due between January and March 2027",
            "Your data: Salesforce and TMS exports; nothing new for account managers to fill in",
            "Success, in your terms: every West renewal reviewed 90 days out, and no large "
            "shipper lost without a plan",
            "At week eight, your team decides whether to extend to Central and East",
        ),
        notes=_p("""
            Ask Dana which region she would choose. We suggest West because it lost both
            shippers last quarter, but it is her call. Agree the success criteria in the room
            and write them down in her words.
        """),
    ),
    Slide(
        "bullets",
        "Next steps",
        (
            "Dana: confirm the pilot region and success criteria by 13 November",
            "Globex IT: review the security pack and the data access request",
            "Northwind: send a pilot plan with dates and owners by 16 November",
            "Together: kick-off with the West regional team in the week of 23 November",
        ),
    ),
)


def build_deck(path: Path) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches, Pt

    navy = RGBColor(0x10, 0x2A, 0x43)
    prs = Presentation()
    for spec in DECK:
        layout = prs.slide_layouts[{"title": 0, "bullets": 1}.get(spec.kind, 5)]
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = spec.title
        if spec.kind == "title":
            slide.placeholders[1].text = "\n".join(spec.body)
        elif spec.kind == "bullets":
            frame = slide.placeholders[1].text_frame
            frame.text = spec.body[0]
            for line in spec.body[1:]:
                frame.add_paragraph().text = line
            for para in frame.paragraphs:
                para.font.size = Pt(20)
        elif spec.kind == "flow":
            # Three boxes and two arrows, grouped as one diagram.
            group = slide.shapes.add_group_shape()
            for i, text in enumerate(spec.body):
                left = Inches(0.4 + i * 3.2)
                box = group.shapes.add_shape(
                    MSO_SHAPE.ROUNDED_RECTANGLE, left, Inches(2.0), Inches(2.7), Inches(2.8)
                )
                box.fill.solid()
                box.fill.fore_color.rgb = navy
                box.text_frame.word_wrap = True
                box.text_frame.text = text
                for j, para in enumerate(box.text_frame.paragraphs):
                    para.font.size = Pt(22 if j == 0 else 15)
                    para.font.bold = j == 0
                    para.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                if i < len(spec.body) - 1:
                    group.shapes.add_shape(
                        MSO_SHAPE.RIGHT_ARROW,
                        left + Inches(2.75),
                        Inches(3.15),
                        Inches(0.4),
                        Inches(0.5),
                    )
        elif spec.kind == "table":
            rows = [line.split("|") for line in spec.body]
            shape = slide.shapes.add_table(
                len(rows), len(rows[0]), Inches(0.4), Inches(1.7), Inches(9.2), Inches(3.8)
            )
            table = shape.table
            for c, width in enumerate((2.9, 2.0, 1.6, 2.7)):
                table.columns[c].width = Inches(width)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = value
                    for para in cell.text_frame.paragraphs:
                        para.font.size = Pt(15)
                        para.font.bold = r == 0
        if spec.caption:
            box = slide.shapes.add_textbox(Inches(0.5), Inches(5.9), Inches(9.0), Inches(1.0))
            box.text_frame.word_wrap = True
            box.text_frame.text = spec.caption
            box.text_frame.paragraphs[0].font.size = Pt(13)
            box.text_frame.paragraphs[0].font.italic = True
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes

    props = prs.core_properties
    props.title = "Seeing every Globex renewal 90 days out"
    props.subject = "Working session with Globex Logistics"
    props.author = "Priya Shah"
    props.last_modified_by = "Priya Shah"
    props.keywords = "Globex Logistics; renewals; pilot"
    props.comments = "custfocus example collateral (fictional)"
    props.category = "Customer presentation"
    props.revision = 4
    props.created = datetime(2026, 11, 5, 14, 30, 0)
    props.modified = datetime(2026, 11, 9, 17, 45, 0)
    props.last_printed = datetime(2026, 11, 9, 17, 50, 0)
    prs.save(str(path))
    _rezip(path)


# --------------------------------------------------------------------------------------------
# Account plan for Initech Health: customer-focused. Initech's goals, problems and words first.
# --------------------------------------------------------------------------------------------

STAKEHOLDERS = (
    ("Name", "Role at Initech", "What they care about", "Where they stand", "Next contact"),
    (
        "Marcus Lee",
        "Director, Financial Planning and Analysis",
        "Close in three days instead of eight; clinic-level accuracy; analysts doing analysis "
        "again",
        "Sponsor. Ran the discovery call and asked for a working session",
        "Working session, 5 November",
    ),
    (
        "Helen Brandt",
        "Chief Financial Officer",
        "A weekly view of at-risk clinics for the board; the spring payer negotiation",
        "Not met. The board's question after Phoenix was put to her",
        "Through Marcus, after the working session",
    ),
    (
        "Anika Rao",
        "IT lead, security and data",
        "Where billing data lives, who can see it, HIPAA",
        "Not met. Her review is needed before any data leaves Initech",
        "Security pack sent 28 October; call requested",
    ),
    (
        "Regional directors (4)",
        "Clinic revenue and staffing",
        "Not being surprised; an early warning when a clinic drifts",
        "Supportive, according to Marcus. The Phoenix director was hit hardest",
        "Ask Marcus for an introduction",
    ),
    (
        "Clinic managers (42)",
        "Run the clinics day to day",
        "No new forms, reports or logins",
        "Will resist anything that adds work",
        "None planned; the design must not need them",
    ),
)

# (style, text). "table" marks where the stakeholder map goes.
PLAN: tuple[tuple[str, str], ...] = (
    ("Title", "Account plan: Initech Health"),
    (
        "Normal",
        _p("""
            Owner: Priya Shah, Strategic Account Executive. Last updated 30 October 2026.
            Stage: discovery. Sources: the discovery call with Marcus Lee on 27 October,
            Initech Health's 2025 annual report, and the regional directors' meeting notes that
            Marcus shared after the call.
        """),
    ),
    ("Heading 1", "Account overview"),
    (
        "Normal",
        _p("""
            Initech Health runs 42 outpatient clinics across Arizona, Nevada and New Mexico,
            with about 1,900 staff and roughly $410M in annual net patient revenue. Each clinic
            is run by a clinic manager who reports to one of four regional directors. Finance is
            central under the CFO, Helen Brandt; revenue forecasting sits with Marcus Lee,
            Director of Financial Planning and Analysis, and his four analysts.
        """),
    ),
    (
        "Normal",
        _p("""
            Initech is growing and under scrutiny at the same time. The board has approved six
            new clinics for 2027, subject to a revenue ramp for each site, and Initech is
            renegotiating its two largest commercial payer contracts in the spring. Both
            decisions depend on a forecast that Marcus says his team cannot produce today.
        """),
    ),
    (
        "Normal",
        _p("""
            Initech's forecast is assembled from 42 clinic spreadsheets sent after month end.
            Consolidating them takes about eight working days. Company-level accuracy is within
            4 to 5 percent, but clinic-level forecasts are often off by 20 percent or more,
            because payer mix is coded differently in every clinic and the errors cancel out at
            the top.
        """),
    ),
    ("Heading 1", "Stakeholders"),
    (
        "Normal",
        _p("""
            Marcus owns the problem and will run any evaluation; Helen signs off on anything
            over $150K. Initech has not bought planning software in five years, so there is no
            incumbent to displace, but there is also no purchasing path Marcus has used before.
        """),
    ),
    ("Heading 2", "Stakeholder map"),
    ("table", ""),
    ("Heading 1", "Initech's goals and problems"),
    ("Heading 2", "Goals for 2027, in Marcus's words"),
    ("List Bullet", "Close in three days, not eight."),
    (
        "List Bullet",
        "A forecast by clinic and by payer that updates every week without rebuilding it.",
    ),
    ("List Bullet", "An early warning when a clinic starts drifting: week two, not week ten."),
    ("List Bullet", "Revenue ramps for the six new clinics, before the board approves the leases."),
    ("List Bullet", "Ten payer scenarios for the spring negotiation instead of three."),
    ("Heading 2", "Problems Initech described"),
    (
        "Normal",
        _p("""
            Three days of every close go on getting clinic files into a shape that can be
            combined: a third of the clinics send late and half of them change the template.
            Payer codes differ by clinic, so the analysts map them by hand every month, and the
            collections forecast inherits every mapping error. Because the process only sees a
            month after it has closed, a change such as a lost payer contract shows up ten
            weeks late.
        """),
    ),
    ("Heading 2", "What it costs Initech"),
    (
        "Normal",
        _p("""
            Last spring two Phoenix clinics lost their largest commercial payer. Initech saw
            the drop in the quarterly review, about ten weeks later, and Marcus puts the cost at
            $1.8M of annual revenue. The last payer negotiation ran on three scenarios that took
            two analysts most of two weeks; Marcus believes Initech left money on the table but
            cannot say how much. The board asked why finance did not see Phoenix coming, and
            Helen now wants a weekly view that the current process cannot produce.
        """),
    ),
    ("Heading 1", "Discovery plan"),
    (
        "Normal",
        _p("""
            Marcus's view is clear. Before proposing anything, hear from the people who would
            use or approve the forecast, and test every number on Initech's own data.
        """),
    ),
    ("Heading 2", "Open questions for Marcus and his analysts"),
    (
        "List Bullet",
        "Which of the eight close days would disappear without clinic spreadsheets, and which "
        "would remain?",
    ),
    (
        "List Bullet",
        "How do the analysts map payer codes today, and who decides when a mapping is wrong?",
    ),
    ("List Bullet", "What clinic-level accuracy would Helen accept in the board pack?"),
    (
        "List Bullet",
        "How were last year's three payer scenarios built, and which questions could the "
        "negotiators not get answered?",
    ),
    ("Heading 2", "Open questions for Helen Brandt"),
    ("List Bullet", "What would a weekly at-risk view need to show for the board to trust it?"),
    (
        "List Bullet",
        "Which decision about the six new clinics is waiting on the revenue ramps, and by when?",
    ),
    ("Heading 2", "Open questions for Anika Rao and IT"),
    (
        "List Bullet",
        "Which systems hold visit, charge and remittance data, and what can be exported "
        "without a new integration project?",
    ),
    (
        "List Bullet",
        "What does Initech's security review need from a vendor, and how long does it usually "
        "take?",
    ),
    ("Heading 2", "Open questions for the regional directors"),
    (
        "List Bullet",
        "How did the Phoenix director first hear about the lost contract, and what would they "
        "have done with three weeks' notice?",
    ),
    ("List Bullet", "Which signals do directors watch today that never reach finance?"),
    ("Heading 1", "Value hypotheses"),
    (
        "Normal",
        _p("""
            Each hypothesis starts from something Initech told us and is stated so that
            Initech's own data can prove it wrong in the working session.
        """),
    ),
    ("Heading 2", "1. A three-day close"),
    (
        "Normal",
        _p("""
            If the forecast reads visits and charges straight from Initech's practice
            management and billing systems, the clinic spreadsheets, and the three days spent
            combining them, go away. Test: time the load of two months of exports for three
            clinics against Initech's current process.
        """),
    ),
    ("Heading 2", "2. Clinic-level accuracy within 10 percent"),
    (
        "Normal",
        _p("""
            With one payer mapping maintained centrally and weekly data, most of Initech's
            clinic forecasts should land within 10 percent. Test: back-test the last two
            quarters for the three pilot clinics, including Mesa.
        """),
    ),
    ("Heading 2", "3. A week-two warning on a drifting clinic"),
    (
        "Normal",
        _p("""
            A weekly forecast compared with plan would have flagged the Phoenix collections
            drop within two to three weeks instead of ten. Test: replay the Phoenix months and
            show Marcus when the warning would have fired. If earlier action had protected even
            a quarter of the $1.8M, the first year would pay for itself.
        """),
    ),
    ("Heading 2", "4. Ten payer scenarios in days, not weeks"),
    (
        "Normal",
        _p("""
            Rate scenarios run centrally for every clinic would show Initech's negotiators which
            concessions push a clinic below break-even. Test: rebuild last year's three
            scenarios in the session and time them.
        """),
    ),
    ("Heading 1", "Risks"),
    (
        "List Bullet",
        "IT review: billing data is sensitive and Anika Rao has not been involved yet. A late "
        "security review could stall Initech's decision by a quarter.",
    ),
    (
        "List Bullet",
        "Clinic managers: any design that adds a form or a report for them will fail, as "
        "Marcus warned.",
    ),
    (
        "List Bullet",
        "Sponsor capacity: Marcus's team is stretched until the year-end close, so the working "
        "session must be short and use Initech's exports as they are.",
    ),
    (
        "List Bullet",
        "No budget line: planning software is not in Initech's 2027 budget; the business case "
        "has to reach Helen before budgets lock in December.",
    ),
    (
        "List Bullet",
        "Over-promising: the accuracy figure is a hypothesis until the back-test is done; do "
        "not quote it to Helen before then.",
    ),
    ("Heading 1", "Next steps"),
    (
        "List Number",
        "28 October, Priya: send the security pack to Anika Rao and ask for a 30-minute call "
        "with IT. Done.",
    ),
    (
        "List Number",
        "29 October, Priya: send Marcus a recap of the call with his three measures of success.",
    ),
    (
        "List Number",
        "5 November, Priya, Marcus and one analyst: working session on two months of exports "
        "for three clinics, including Mesa and one Phoenix clinic.",
    ),
    (
        "List Number",
        "12 November, Priya: share the back-test and a draft business case in Initech's terms "
        "for Marcus to review.",
    ),
    (
        "List Number",
        "Before 1 December, Marcus: decide whether to take the business case to Helen Brandt.",
    ),
)


def build_plan(path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    for style, text in PLAN:
        if style == "table":
            table = doc.add_table(rows=0, cols=len(STAKEHOLDERS[0]))
            table.style = "Light Grid Accent 1"
            for r, values in enumerate(STAKEHOLDERS):
                cells = table.add_row().cells
                for cell, value in zip(cells, values, strict=True):
                    cell.text = value
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(9)
                        run.font.bold = r == 0
            continue
        doc.add_paragraph(text, style=style)

    props = doc.core_properties
    props.title = "Account plan: Initech Health"
    props.subject = "Initech Health"
    props.author = "Priya Shah"
    props.last_modified_by = "Priya Shah"
    props.keywords = "Initech Health; account plan; discovery"
    props.comments = "custfocus example collateral (fictional)"
    props.category = "Account plan"
    props.revision = 3
    props.created = datetime(2026, 10, 27, 16, 0, 0)
    props.modified = datetime(2026, 10, 30, 11, 20, 0)
    props.last_printed = datetime(2026, 10, 30, 11, 25, 0)
    doc.save(str(path))
    _rezip(path)


# --------------------------------------------------------------------------------------------
# Product one-pager: self-centred on purpose. Company, awards, superlatives, features.
# Plain ASCII, because the core PDF fonts only cover latin-1.
# --------------------------------------------------------------------------------------------

# (kind, text): "h1" title, "lead" tagline, "h2" section heading, "p" paragraph, "li" bullet,
# "page" a page break.
ONE_PAGER: tuple[tuple[str, str], ...] = (
    ("h1", "Northwind Forecast: the industry-leading revenue forecasting platform"),
    (
        "lead",
        _p("""
            Trusted by more than 2,000 companies. Powered by our patented AI. Built by the team
            that invented modern revenue forecasting.
        """),
    ),
    ("h2", "About Northwind Analytics"),
    (
        "p",
        _p("""
            Northwind Analytics was founded in 2012 in Seattle by Elena Marsh and Tom Okafor,
            two former quantitative analysts who believed forecasting deserved better
            technology. Since then we have grown to more than 900 employees in offices in
            Seattle, Austin, London and Singapore. We are backed by leading investors and have
            raised over $240 million to date. Our mission is to make Northwind Forecast the
            system of record for every revenue number in the enterprise.
        """),
    ),
    (
        "p",
        _p("""
            We are proud of our culture of innovation. Our engineers ship a new release every
            two weeks, our data science team holds 14 patents, and our customer success team is
            rated best-in-class by our customers year after year.
        """),
    ),
    ("h2", "Awards and recognition"),
    ("li", "Named a Leader in the 2026 Revenue Intelligence Wave, for the third year in a row"),
    ("li", "Best Forecasting Platform, SaaS Excellence Awards 2025 and 2026"),
    ("li", "Top-rated on independent software review sites, with an average of 4.8 out of 5"),
    ("li", "Four times on the Fast 500 list of the fastest-growing technology companies"),
    ("li", "Our CEO, Elena Marsh, was named Analytics Executive of the Year 2025"),
    ("h2", "Northwind by the numbers"),
    ("li", "2,000+ customers in 30 countries, including 40 logistics and 60 healthcare companies"),
    ("li", "3 billion data points processed every night across our customer base"),
    ("li", "1,500+ successful deployments by our in-house implementation team"),
    ("li", "95% gross revenue retention, year after year"),
    ("h2", "Why Northwind?"),
    (
        "p",
        _p("""
            We are the only forecasting vendor with a patented ensemble engine that combines
            machine learning with our proprietary seasonality models. Our platform processes
            more than 3 billion data points every night, and our accuracy is unmatched in the
            industry. We offer more integrations than any other forecasting vendor, and our
            implementation team has completed more than 1,500 deployments.
        """),
    ),
    (
        "p",
        _p("""
            Choosing Northwind means choosing the market-leading platform, the most experienced
            team and the most advanced technology in revenue forecasting. We are the partner
            that the world's fastest-growing companies rely on.
        """),
    ),
    ("page", ""),
    ("h2", "Our platform"),
    ("li", "Northwind Engine: our patented ensemble of 40+ forecasting models, retrained nightly"),
    ("li", "Forecast Copilot: our generative AI assistant answers forecast questions in English"),
    ("li", "Scenario Studio: unlimited what-if scenarios in our drag-and-drop modeller"),
    ("li", "Pipeline Inspector: deal-level risk scores from our proprietary health index"),
    ("li", "Renewals Module: contract renewal forecasting with our churn signals library"),
    ("li", "Executive Dashboards: more than 120 prebuilt dashboards and reports"),
    ("li", "Northwind Mobile: our award-winning apps for iOS and Android"),
    ("h2", "Our technology"),
    (
        "p",
        _p("""
            Our cloud-native, microservices architecture scales to billions of records with
            99.99% uptime. Our engine runs on our own time-series database, and every forecast
            is explained by our proprietary Driver Attribution technology. Our research team
            publishes regularly and our models have won two international forecasting
            competitions.
        """),
    ),
    ("h2", "Integrations"),
    (
        "p",
        _p("""
            Northwind Forecast connects to more than 150 systems out of the box, including every
            major CRM, ERP, billing and data warehouse platform. Our open API and our SDKs for
            Python and Java let our partners build even more connectors.
        """),
    ),
    ("h2", "Security and compliance"),
    ("li", "SOC 2 Type II and ISO 27001 certified; HIPAA compliant"),
    ("li", "Single sign-on with SAML, and user provisioning with SCIM"),
    ("li", "Data encrypted at rest and in transit; hosting in the US, the EU and Asia Pacific"),
    ("h2", "Services and support"),
    (
        "p",
        _p("""
            Our award-winning customer success team offers 24/7 support, a dedicated success
            manager on Enterprise plans and Northwind Academy, our online training programme with
            more than 60 courses. Our proven implementation methodology gets most customers live
            in six to ten weeks.
        """),
    ),
    ("h2", "Our customers"),
    (
        "p",
        _p("""
            Our customers include some of the most respected names in logistics, healthcare,
            manufacturing and software. More than 2,000 companies in 30 countries rely on our
            platform every day, and 95% of our customers renew with us every year.
        """),
    ),
    (
        "lead",
        "Request a demo today and see why we are the industry's number one forecasting platform.",
    ),
)


def build_one_pager(path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    navy = (16, 42, 67)

    class OnePager(FPDF):
        def header(self) -> None:
            self.set_fill_color(*navy)
            self.rect(0, 0, self.w, 22, style="F")
            self.set_xy(self.l_margin, 7)
            self.set_text_color(255, 255, 255)
            self.set_font("Helvetica", "B", 14)
            self.cell(0, 8, "NORTHWIND ANALYTICS", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(30)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_text_color(110, 110, 110)
            self.set_font("Helvetica", "", 8)
            self.cell(
                0,
                5,
                "Northwind Analytics, 1200 Harbor Avenue, Seattle, WA 98101  |  "
                f"northwind-analytics.example  |  Page {self.page_no()} of {{nb}}",
                align="C",
            )

    pdf = OnePager(format="Letter", unit="mm")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title("Northwind Forecast product overview")
    pdf.set_subject("Northwind Forecast")
    pdf.set_author(SELLER)
    pdf.set_creator("custfocus examples/make_examples.py")
    pdf.set_producer("fpdf2")
    pdf.set_keywords("revenue forecasting, Northwind Forecast")
    pdf.set_lang("en-US")
    pdf.set_creation_date(datetime(2026, 9, 1, 12, 0, 0, tzinfo=timezone.utc))
    pdf.add_page()

    def block(style: str, size: float, height: float, text: str, after: float) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(after)

    for kind, text in ONE_PAGER:
        if kind == "page":
            pdf.add_page()
        elif kind == "h1":
            pdf.set_text_color(*navy)
            block("B", 20, 9, text, 2)
        elif kind == "lead":
            pdf.set_text_color(60, 60, 60)
            block("I", 12, 6, text, 4)
        elif kind == "h2":
            pdf.set_text_color(*navy)
            block("B", 13, 7, text, 1)
        elif kind == "p":
            pdf.set_text_color(30, 30, 30)
            block("", 10.5, 5.2, text, 3)
        elif kind == "li":
            pdf.set_text_color(30, 30, 30)
            pdf.set_font("Helvetica", "", 10.5)
            pdf.cell(6, 5.2, "-")
            pdf.multi_cell(0, 5.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
    pdf.output(str(path))


# --------------------------------------------------------------------------------------------


def _rezip(path: Path) -> None:
    """Rewrite a zip-based Office file with fixed entry timestamps (reproducible bytes)."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)


def main() -> None:
    outputs = (
        ("deck_globex.pptx", build_deck),
        ("account_plan_initech.docx", build_plan),
        ("one_pager.pdf", build_one_pager),
    )
    for name, build in outputs:
        path = HERE / name
        build(path)
        print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

"""Build the binary example files (deck, account plan, one-pager) from the text below.

    python examples/make_examples.py

Needs the dev extras (python-pptx, python-docx, fpdf2). The output is committed, so running
this is only needed after editing the text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).parent

DECK = [
    (
        "Northwind Forecast for Globex Logistics",
        ["Renewal visibility workshop, November 2026"],
        "Thank Dana and the account team for their time.",
    ),
    (
        "Agenda",
        ["What we heard from you", "Your renewal process today", "What could change", "Next steps"],
        "",
    ),
    (
        "Your renewal process today",
        [
            "How do your account managers decide which accounts to call first?",
            "What happens when a large shipper renews late?",
            "Who owns the renewal once the contract is signed?",
        ],
        "Ask before showing anything. Let Dana's team talk.",
    ),
    (
        "What we heard from Globex",
        [
            "400 renewals a quarter tracked in three spreadsheets",
            "At-risk accounts found one or two weeks before renewal",
            "Two large shippers lost last quarter",
        ],
        "Confirm the numbers with Dana.",
    ),
    (
        "What changes for your account managers",
        [
            "Your team sees every renewal 90 days out",
            "A weekly list of the accounts that need a call",
            "Your leaders forecast renewals with confidence",
        ],
        "",
    ),
    (
        "About Northwind",
        [
            "Founded in 2012, 900 employees",
            "Industry-leading, award-winning forecasting platform",
            "150+ integrations and patented machine learning",
        ],
        "Keep this slide short.",
    ),
    ("Expected impact for Globex", [], "Numbers are Globex's own, from the discovery call."),
    (
        "Pilot proposal",
        ["Three regions, eight weeks", "Success: every renewal visible 90 days out"],
        "Agree success criteria with Dana.",
    ),
]
ROI = [
    ("Measure", "Today", "With the pilot"),
    ("Renewals seen 90 days out", "10%", "100%"),
    ("Shippers lost per quarter", "2", "0-1"),
]

PLAN = [
    ("Title", "Account plan: Initech Health"),
    ("Heading 1", "Account overview"),
    (
        "Normal",
        "Initech Health runs 42 outpatient clinics across three states. Finance is led by Marcus Lee, who reports to the CFO.",
    ),
    ("Heading 1", "Their goals and problems"),
    (
        "Normal",
        "Their goal is to close the month in three days and to give the board a monthly view of revenue by clinic.",
    ),
    (
        "Normal",
        "Today each clinic sends a spreadsheet; the finance team needs eight days to consolidate it, and underperforming clinics are noticed a month late.",
    ),
    ("Heading 1", "Discovery plan"),
    ("Normal", "Ask the CFO what a pilot must prove for her to approve a full rollout."),
    ("Normal", "Find out how payer data is coded at each clinic and who owns it."),
    ("Normal", "What would the analysts do with the eight days they spend consolidating today?"),
    ("Heading 1", "Value hypotheses"),
    ("Normal", "Their analysts would get the first weekend of every month back."),
    ("Normal", "The board would see a slipping clinic within days rather than a quarter later."),
    ("Heading 1", "Risks"),
    ("Normal", "IT is busy with an ERP upgrade until March."),
    ("Heading 1", "Next steps"),
    ("Normal", "Send the pilot plan for Denver, Aurora and Boulder by Friday."),
]
STAKEHOLDERS = [
    ("Name", "Role", "What they care about"),
    ("Marcus Lee", "VP Finance", "A three-day close"),
    ("Ana Ruiz", "CFO", "Proof before a full rollout"),
    ("Tom Becker", "IT Director", "A safe data connection"),
]

ONE_PAGER = [
    [
        "Northwind Analytics: the industry-leading forecasting company",
        "Founded in 2012, Northwind Analytics is the world's most trusted revenue forecasting platform. We serve over 2,000 companies in 40 countries.",
        "Our award-winning product, Northwind Forecast, uses patented machine learning to deliver best-in-class accuracy. We are proud to be named a Leader in the Gartner Magic Quadrant three years in a row.",
        "Our platform offers 150+ native integrations, 60 report templates, a drag-and-drop workflow designer, an AI copilot and enterprise-grade security (SOC 2, ISO 27001, GDPR).",
    ],
    [
        "Why Northwind?",
        "We are the only vendor with real-time bidirectional sync. Our engine is three times faster than any competitor. Our team of 300 engineers ships a new release every two weeks.",
        "Our customers include many of the world's leading logistics, healthcare and retail brands. Our implementation team has completed over 800 rollouts.",
        "Contact us today to see why industry leaders choose Northwind.",
    ],
]


def build_deck(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    for i, (title, bullets, notes) in enumerate(DECK):
        layout = prs.slide_layouts[0 if i == 0 else 1 if bullets else 5]
        slide = prs.slides.add_slide(layout)
        slide.shapes.title.text = title
        if bullets and i == 0:
            slide.placeholders[1].text = bullets[0]
        elif bullets:
            frame = slide.placeholders[1].text_frame
            frame.text = bullets[0]
            for b in bullets[1:]:
                frame.add_paragraph().text = b
        if title == "Expected impact for Globex":
            table = slide.shapes.add_table(
                3, 3, Inches(0.5), Inches(1.8), Inches(9), Inches(1.5)
            ).table
            for r, row in enumerate(ROI):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            group = slide.shapes.add_group_shape()
            box = group.shapes.add_textbox(Inches(0.5), Inches(4), Inches(9), Inches(1))
            box.text_frame.text = "Your team keeps the shippers it would have lost."
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(20)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    prs.core_properties.author = "Northwind Analytics"
    prs.save(str(path))


def build_plan(path: Path) -> None:
    import docx

    d = docx.Document()
    for style, text in PLAN:
        if style == "Heading 1" and text == "Risks":
            d.add_heading("Stakeholder map", level=1)
            table = d.add_table(rows=len(STAKEHOLDERS), cols=3)
            for r, row in enumerate(STAKEHOLDERS):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        if style == "Title":
            d.add_heading(text, level=0)
        elif style.startswith("Heading"):
            d.add_heading(text, level=1)
        else:
            d.add_paragraph(text)
    d.core_properties.author = "Northwind Analytics"
    d.save(str(path))


def build_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2026, 11, 1, tzinfo=timezone.utc))  # deterministic output
    for page in ONE_PAGER:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.multi_cell(0, 10, page[0])
        pdf.ln(4)
        pdf.set_font("Helvetica", size=11)
        for para in page[1:]:
            pdf.multi_cell(0, 6, para)
            pdf.ln(6)
    pdf.output(str(path))


if __name__ == "__main__":
    build_deck(HERE / "deck_globex.pptx")
    build_plan(HERE / "account_plan_initech.docx")
    build_pdf(HERE / "one_pager.pdf")
    print("wrote deck_globex.pptx, account_plan_initech.docx, one_pager.pdf")

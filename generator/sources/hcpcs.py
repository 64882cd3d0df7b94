"""Read the official HCPCS Level II file: the zip CMS publishes each quarter as the "alpha-numeric HCPCS file".

The zip holds three members this module reads, found by name pattern so that a
new release needs no code change:

- ``*ANWEB*.txt``, the data: fixed-width records of 320 characters. A code or
  modifier starts with a *first* record (record identification code ``3`` for a
  procedure code, ``7`` for a modifier) that carries every field; a long
  description longer than 80 characters continues on *continuation* records
  (``4`` / ``8``) of the same code, whose sequence number goes up by 100 each.
- ``*recordlayout*.txt``, the CMS description of those columns. The column
  positions below (:data:`COLUMNS`) are checked against it on every read, so a
  changed layout stops the build instead of shifting every field.
- ``*proc_notes*.txt``, the processing notes that records refer to by number.

Every coded value (coverage, pricing, type of service, ...) must be one listed in
this module's tables, each of which explains the values in plain words; an unknown
value is a problem naming the member, line and field, like every other one, e.g.
``HCPC2026_JAN_ANWEB_01122026.txt:1234: coverage code: unknown value 'Q'``. All
problems are collected and reported together (:class:`InvalidHcpcsFile`).
"""

from __future__ import annotations

import calendar
import datetime
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from ..codes import is_well_formed, modifier_key, normalise_code
from ..errors import Abort, InvalidContent, Problem

RECORD_LENGTH = 320

# --- What the coded values mean -------------------------------------------------------------
# Paraphrased from the CMS record layout (HCPC2026_recordlayout.txt); one table per field.

COVERAGE_CODES: dict[str, str] = {
    "C": "Carrier judgment",
    "D": "Special coverage instructions apply",
    "I": "Not payable by Medicare",
    "M": "Non-covered by Medicare",
    "S": "Non-covered by Medicare statute",
}
"""Medicare coverage status of a code or modifier."""

ACTION_CODES: dict[str, str] = {
    "A": "Code added",
    "B": "Administrative data and long description changed",
    "C": "Long description changed",
    "D": "Code discontinued",
    "F": "Administrative data changed",
    "N": "No change",
    "P": "Payment change (pricing indicator, anesthesia base units, ASC or MOG group)",
    "R": "Discontinued code re-activated",
    "S": "Short description changed",
    "T": "Miscellaneous change (BETOS or type of service)",
}
"""What changed for a code in this release, relative to the previous one."""

PRICING_INDICATORS: dict[str, str] = {
    "00": "Not separately priced by Part B (e.g. not covered, bundled, or Part A only)",
    # Physician fee schedule and non-physician practitioners linked to it
    "11": "Physician fee schedule: priced with national relative value units (RVUs)",
    "12": "Physician fee schedule: priced with national anesthesia base units",
    "13": "Physician fee schedule: priced by the Medicare contractor (e.g. not otherwise classified, "
          "individual consideration)",
    # Clinical laboratory fee schedule
    "21": "Clinical lab fee schedule: priced subject to the national limitation amount",
    "22": "Clinical lab fee schedule: priced by the Medicare contractor (e.g. gap-fill, contractor panels)",
    # DMEPOS fee schedule; 31-38 are subject to floors and ceilings
    "31": "DMEPOS: frequently serviced durable medical equipment (DME)",
    "32": "DMEPOS: inexpensive and routinely purchased DME",
    "33": "DMEPOS: oxygen and oxygen equipment",
    "34": "DMEPOS: DME supplies",
    "35": "DMEPOS: surgical dressings",
    "36": "DMEPOS: capped rental DME",
    "37": "DMEPOS: ostomy, tracheostomy and urological supplies",
    "38": "DMEPOS: orthotics, prosthetics, prosthetic devices and vision services",
    "39": "DMEPOS: parenteral and enteral nutrition",
    "40": "DMEPOS: lymphedema compression treatment items (from 2024-01-01)",
    "45": "DMEPOS: customized DME items",
    "46": "DMEPOS: priced by the Medicare contractor (e.g. not otherwise classified, individual consideration, "
          "gap-fill)",
    # Other
    "51": "Drugs",
    "52": "Reasonable charge",
    "53": "Priced as set by statute",
    "54": "Vaccinations",
    "55": "Splints and casts (from 2014-10-01)",
    "56": "Intraocular lenses inserted in a physician's office (from 2014-10-01)",
    "57": "Other services priced by the Medicare contractor",
    "99": "No value established",
}
"""How Medicare Part B sets the price; a code may have up to four."""

MULTIPLE_PRICING_INDICATORS: dict[str, str] = {
    "9": "Not applicable: not separately priced by Part B, or no value established",
    "A": "Not applicable: priced under one method only",
    "B": "Professional component priced with RVUs; technical component and global service priced by the contractor",
    "C": "Physician's interpretation priced with RVUs; the lab test itself under the clinical lab fee schedule",
    "D": "Physician's service priced with RVUs, a clinical psychologist's under their own fee schedule "
         "(not used since 1998)",
    "E": "Physician's service priced with RVUs; clinical psychologist's and clinical social worker's under their "
         "own fee schedules (not used since 1998)",
    "F": "Physician's service priced by the contractor; clinical psychologist's and clinical social worker's under "
         "their own fee schedules (not used since 1998)",
    "G": "Lab test priced at reasonable charge when billed with blood products, otherwise under the clinical lab "
         "fee schedule",
}
"""Whether, and how, one code is priced under more than one method."""

LAB_CERTIFICATIONS: dict[str, str] = {
    "010": "Histocompatibility testing",
    "100": "Microbiology",
    "110": "Bacteriology",
    "115": "Mycobacteriology",
    "120": "Mycology",
    "130": "Parasitology",
    "140": "Virology",
    "150": "Other microbiology",
    "200": "Diagnostic immunology",
    "210": "Syphilis serology",
    "220": "General immunology",
    "300": "Chemistry",
    "310": "Routine chemistry",
    "320": "Urinalysis",
    "330": "Endocrinology",
    "340": "Toxicology",
    "350": "Other chemistry",
    "400": "Hematology",
    "500": "Immunohematology",
    "510": "ABO group and Rh type",
    "520": "Antibody detection (transfusion)",
    "530": "Antibody detection (non-transfusion)",
    "540": "Antibody identification",
    "550": "Compatibility testing",
    "560": "Other immunohematology",
    "600": "Pathology",
    "610": "Histopathology",
    "620": "Oral pathology",
    "630": "Cytology",
    "800": "Radiobioassay",
    "900": "Clinical cytogenetics",
}
"""CLIA specialty a lab needs for the test; a lab certified for a group (e.g. 100) may do its subgroups."""

ASC_PAYMENT_GROUPS: dict[str, str] = {
    "YY": "Approved to be performed in an ambulatory surgical center (ASC)",
}
"""ASC approval; blank means not approved for an ASC."""

MOG_PAYMENT_GROUPS: dict[str, str] = {
    "000": "No MOG applies",
    # Integumentary
    "102": "Level II needle biopsy/aspiration",
    "112": "Level II incision and drainage",
    "132": "Level II debridement/destruction",
    "142": "Level II excision/biopsy",
    "143": "Level III excision/biopsy",
    "151": "Level I skin repair",
    "152": "Level II skin repair",
    "153": "Level III skin repair",
    "160": "Incision/excision breast",
    "169": "Breast reconstruction/mastectomy",
    # Musculoskeletal
    "201": "Level I skull and facial bone procedures",
    "202": "Level II skull and facial bone procedures",
    "211": "Level I hand musculoskeletal procedures",
    "212": "Level II hand musculoskeletal procedures",
    "221": "Level I foot musculoskeletal procedures",
    "222": "Level II foot musculoskeletal procedures",
    "231": "Level I musculoskeletal procedures",
    "232": "Level II musculoskeletal procedures",
    "233": "Level III musculoskeletal procedures",
    "241": "Level I arthroscopy",
    "242": "Level II arthroscopy",
    "260": "Closed treatment of fracture of finger, toe or trunk",
    "269": "Closed treatment of fracture or dislocation, except finger, toe or trunk",
    "270": "Open or percutaneous treatment of fracture or dislocation",
    "279": "Bone or joint manipulation under anesthesia",
    "280": "Bunion procedures",
    "289": "Arthroplasty",
    "290": "Arthroplasty with prosthesis",
    # ENT, respiratory, cardiovascular, lymphatic, endocrine
    "302": "Level II ENT procedures",
    "303": "Level III ENT procedures",
    "304": "Level IV ENT procedures",
    "309": "Implantation of cochlear device (ASC rate does not include the implant)",
    "310": "Nasal cauterization/packing",
    "319": "Tonsil/adenoid procedures",
    "322": "Level II endoscopy, upper airway",
    "323": "Level III endoscopy, upper airway",
    "329": "Endoscopy, lower airway",
    "330": "Thoracentesis/lavage procedures",
    "350": "Placement of transvenous catheters/cutdown",
    "359": "Removal/revision of pacemaker or vascular device",
    "360": "Vascular ligation",
    "369": "Vascular repair/fistula construction",
    "370": "Lymph node excisions",
    "379": "Thyroid/lymphadenectomy procedures",
    # Digestive
    "400": "Esophageal dilation without endoscopy",
    "410": "Esophagoscopy",
    "421": "Level I upper GI endoscopy/intubation",
    "422": "Level II upper GI endoscopy/intubation",
    "429": "Lower GI endoscopy",
    "430": "Anoscopy and diagnostic sigmoidoscopy",
    "439": "Therapeutic proctosigmoidoscopy",
    "440": "Small intestine endoscopy",
    "449": "Percutaneous biliary endoscopic procedures",
    "450": "Endoscopic retrograde cholangiopancreatography (ERCP)",
    "460": "Hernia/hydrocele procedures",
    "472": "Level II anal/rectal procedures",
    "473": "Level III anal/rectal procedures",
    "480": "Peritoneal and abdominal procedures",
    "490": "Tube procedures",
    # Urinary and genital
    "501": "Level I laparoscopy",
    "502": "Level II laparoscopy",
    "509": "Lithotripsy",
    "511": "Level I cystourethroscopy and other genitourinary procedures",
    "512": "Level II cystourethroscopy and other genitourinary procedures",
    "513": "Level III cystourethroscopy and other genitourinary procedures",
    "521": "Level I urethral procedures",
    "522": "Level II urethral procedures",
    "530": "Circumcision",
    "539": "Penile procedures",
    "540": "Insertion of penile prosthesis (ASC rate includes the implant)",
    "549": "Testes/epididymis procedures",
    "550": "Prostate biopsy",
    "562": "Level II female reproductive procedures",
    "563": "Level III female reproductive procedures",
    "570": "Surgical hysteroscopy",
    "579": "Dilation and curettage (D&C)",
    "580": "Spontaneous abortion",
    "589": "Therapeutic abortion",
    # Nervous system and eye
    "602": "Level II nervous system injections",
    "609": "Revision/removal of neurological device",
    "610": "Implantation of neurostimulator electrodes (ASC rate does not include the implant)",
    "619": "Implantation of neurological devices (ASC rate does not include the implant)",
    "621": "Level I nerve procedures",
    "622": "Level II nerve procedures",
    "629": "Spinal tap",
    "639": "Laser eye procedures except retinal",
    "640": "Cataract procedures",
    "649": "Cataract procedures with intraocular lens insertion",
    "651": "Level I anterior segment eye procedures",
    "652": "Level II anterior segment eye procedures",
    "659": "Corneal transplant (ASC rate includes the transplant)",
    "660": "Posterior segment eye procedures",
    "669": "Strabismus/eye muscle procedures",
    "673": "Level III eye procedures",
    "674": "Level IV eye procedures",
    "680": "Vitrectomy",
    "689": "Implantation/replacement of intravitreal drug delivery",
}
"""Medicare outpatient group (MOG) for ASC payment; unused (blank) in recent files, listed for completeness."""

MOG_PAYMENT_POLICIES: dict[str, str] = {
    "1": "ASC covered procedure",
    "2": "Bundled service, no separate payment",
    "3": "Excluded from the ASC list",
    "4": "Invalid code (90-day grace period)",
    "6": "Paid separately when furnished in an ASC",
    "7": "ASC restricted-coverage procedure",
    "9": "ASC payment does not apply",
}
"""Whether an ASC facility fee, another separate fee, or no fee is paid; unused (blank) in recent files."""

BETOS_CATEGORIES: dict[str, str] = {
    "D1A": "Medical/surgical supplies",
    "D1B": "Hospital beds",
    "D1C": "Oxygen and supplies",
    "D1D": "Wheelchairs",
    "D1E": "Other durable medical equipment",
    "D1F": "Prosthetic/orthotic devices",
    "D1G": "Drugs administered through durable medical equipment",
    "I1A": "Standard imaging: chest",
    "I1B": "Standard imaging: musculoskeletal",
    "I1C": "Standard imaging: breast",
    "I1D": "Standard imaging: contrast gastrointestinal",
    "I1E": "Standard imaging: nuclear medicine",
    "I1F": "Standard imaging: other",
    "I2A": "Advanced imaging: CT/CTA of brain, head or neck",
    "I2B": "Advanced imaging: CT/CTA, other",
    "I2C": "Advanced imaging: MRI/MRA of brain, head or neck",
    "I2D": "Advanced imaging: MRI/MRA, other",
    "I3A": "Ultrasound: eye",
    "I3B": "Ultrasound: abdomen/pelvis",
    "I3C": "Ultrasound: heart",
    "I3D": "Ultrasound: carotid arteries",
    "I3E": "Ultrasound: prostate, transrectal",
    "I3F": "Ultrasound: other",
    "I4A": "Imaging/procedure: heart, including cardiac catheterization",
    "I4B": "Imaging/procedure: other",
    "M1A": "Office visits: new patient",
    "M1B": "Office visits: established patient",
    "M2A": "Hospital visit: initial",
    "M2B": "Hospital visit: subsequent",
    "M2C": "Hospital visit: critical care",
    "M3": "Emergency room visit",
    "M4A": "Home visit",
    "M4B": "Nursing home visit",
    "M5A": "Specialist: pathology",
    "M5B": "Specialist: psychiatry",
    "M5C": "Specialist: ophthalmology",
    "M5D": "Specialist: other",
    "M6": "Consultations",
    "O1A": "Ambulance",
    "O1B": "Chiropractic",
    "O1C": "Enteral and parenteral nutrition",
    "O1D": "Chemotherapy",
    "O1E": "Other drugs",
    "O1F": "Hearing and speech services",
    "O1G": "Immunizations/vaccinations",
    "O1L": "Lymphedema compression treatment items (from 2024-01-01)",
    "P0": "Anesthesia",
    "P1A": "Major procedure: breast",
    "P1B": "Major procedure: colectomy",
    "P1C": "Major procedure: cholecystectomy",
    "P1D": "Major procedure: transurethral resection of the prostate (TURP)",
    "P1E": "Major procedure: hysterectomy",
    "P1F": "Major procedure: spinal exploration/decompression/disc excision",
    "P1G": "Major procedure: other",
    "P2A": "Major cardiovascular procedure: coronary artery bypass graft (CABG)",
    "P2B": "Major cardiovascular procedure: aneurysm repair",
    "P2C": "Major cardiovascular procedure: thromboendarterectomy",
    "P2D": "Major cardiovascular procedure: coronary angioplasty (PTCA)",
    "P2E": "Major cardiovascular procedure: pacemaker insertion",
    "P2F": "Major cardiovascular procedure: other",
    "P3A": "Major orthopedic procedure: hip fracture repair",
    "P3B": "Major orthopedic procedure: hip replacement",
    "P3C": "Major orthopedic procedure: knee replacement",
    "P3D": "Major orthopedic procedure: other",
    "P4A": "Eye procedure: corneal transplant",
    "P4B": "Eye procedure: cataract removal/lens insertion",
    "P4C": "Eye procedure: retinal detachment",
    "P4D": "Eye procedure: treatment of retinal lesions",
    "P4E": "Eye procedure: other",
    "P5A": "Ambulatory procedure: skin",
    "P5B": "Ambulatory procedure: musculoskeletal",
    "P5C": "Ambulatory procedure: inguinal hernia repair",
    "P5D": "Ambulatory procedure: lithotripsy",
    "P5E": "Ambulatory procedure: other",
    "P6A": "Minor procedure: skin",
    "P6B": "Minor procedure: musculoskeletal",
    "P6C": "Minor procedure: other (Medicare fee schedule)",
    "P6D": "Minor procedure: other (non-Medicare fee schedule)",
    "P7A": "Oncology: radiation therapy",
    "P7B": "Oncology: other",
    "P8A": "Endoscopy: arthroscopy",
    "P8B": "Endoscopy: upper gastrointestinal",
    "P8C": "Endoscopy: sigmoidoscopy",
    "P8D": "Endoscopy: colonoscopy",
    "P8E": "Endoscopy: cystoscopy",
    "P8F": "Endoscopy: bronchoscopy",
    "P8G": "Endoscopy: laparoscopic cholecystectomy",
    "P8H": "Endoscopy: laryngoscopy",
    "P8I": "Endoscopy: other",
    "P9A": "Dialysis services (Medicare fee schedule)",
    "P9B": "Dialysis services (non-Medicare fee schedule)",
    "T1A": "Lab tests: routine venipuncture (non-Medicare fee schedule)",
    "T1B": "Lab tests: automated general profiles",
    "T1C": "Lab tests: urinalysis",
    "T1D": "Lab tests: blood counts",
    "T1E": "Lab tests: glucose",
    "T1F": "Lab tests: bacterial cultures",
    "T1G": "Lab tests: other (Medicare fee schedule)",
    "T1H": "Lab tests: other (non-Medicare fee schedule)",
    "T2A": "Other tests: electrocardiograms",
    "T2B": "Other tests: cardiovascular stress tests",
    "T2C": "Other tests: EKG monitoring",
    "T2D": "Other tests: other",
    "Y1": "Other: Medicare fee schedule",
    "Y2": "Other: non-Medicare fee schedule",
    "Z1": "Local codes",
    "Z2": "Undefined codes",
}
"""Berenson-Eggers type of service (BETOS): a clinically meaningful grouping of codes."""

TYPES_OF_SERVICE: dict[str, str] = {
    "0": "Whole blood",
    "1": "Medical care",
    "2": "Surgery",
    "3": "Consultation",
    "4": "Diagnostic radiology",
    "5": "Diagnostic laboratory",
    "6": "Therapeutic radiology",
    "7": "Anesthesia",
    "8": "Assistant at surgery",
    "9": "Other medical items or services",
    "A": "Used durable medical equipment (DME)",
    "B": "High-risk screening mammography (obsolete since 1998)",
    "C": "Low-risk screening mammography (obsolete since 1998)",
    "D": "Ambulance",
    "E": "Enteral/parenteral nutrients and supplies",
    "F": "Ambulatory surgical center (facility use for surgical services)",
    "G": "Immunosuppressive drugs",
    "H": "Hospice services (discontinued in 1995)",
    "I": "Purchase of DME on an installment basis (discontinued in 1995)",
    "J": "Diabetic shoes",
    "K": "Hearing items and services",
    "L": "ESRD (kidney failure) supplies",
    "M": "Monthly capitation payment for dialysis",
    "N": "Kidney donor",
    "P": "Lump-sum purchase of DME, prosthetics or orthotics",
    "Q": "Vision items or services",
    "R": "Rental of DME",
    "S": "Surgical dressings or other medical supplies",
    "T": "Outpatient mental health limitation (psychological therapy before 1998)",
    "U": "Occupational therapy",
    "V": "Pneumococcal or flu vaccine",
    "W": "Physical therapy",
    "Y": "Second opinion on elective surgery (obsolete since 1997)",
    "Z": "Third opinion on elective surgery (obsolete since 1997)",
}
"""CMS type of service: the kind(s) of service a code stands for; a code has one to five."""


# --- The data model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One coded value of a record, with its field's label and its meaning in words."""

    label: str
    value: str
    meaning: str


@dataclass(frozen=True)
class ReleaseEntry:
    """What codes and modifiers share: their dates, the change in this release, and where they were read."""

    #: When the code or modifier entered HCPCS.
    added_date: datetime.date
    #: When the change named by :attr:`action` takes effect.
    action_effective_date: datetime.date
    #: The last day it may be used; ``None`` while it is valid.
    termination_date: datetime.date | None
    #: Key of :data:`ACTION_CODES`: the change in this release.
    action: str
    #: Line of its first record in the data member.
    source_line: int

    def is_terminated(self, as_of: datetime.date) -> bool:
        """Whether it may no longer be used on ``as_of`` (it stays valid on its termination date)."""
        return self.termination_date is not None and self.termination_date < as_of


@dataclass(frozen=True)
class HcpcsCode(ReleaseEntry):
    """One HCPCS Level II procedure code, as published (terminated codes included).

    Coded fields hold the raw CMS value; :attr:`explanations` gives their meanings.
    Repeated fields (pricing indicators, types of service, ...) are tuples of the
    non-blank values in file order; an unused optional field is ``None`` or ``()``.
    """

    code: str
    #: The full description, continuation records joined; words separated by single spaces.
    long_description: str
    #: At most 28 characters.
    short_description: str
    #: Keys of :data:`PRICING_INDICATORS`; one to four.
    pricing_indicators: tuple[str, ...]
    #: Key of :data:`MULTIPLE_PRICING_INDICATORS`.
    multiple_pricing_indicator: str
    #: Sections of the (retired) Coverage Issues Manual, e.g. ``"60-9"``; up to three.
    cim_references: tuple[str, ...]
    #: Sections of the (retired) Medicare Carriers Manual, e.g. ``"2049"``; up to three.
    mcm_references: tuple[str, ...]
    #: Section of the Social Security Act behind the coverage decision, as written by CMS, e.g. ``"1833(t)"``.
    statute: str | None
    #: Keys of :data:`LAB_CERTIFICATIONS`; up to eight.
    lab_certifications: tuple[str, ...]
    #: Codes to use instead (often for a deleted code or one Medicare does not recognise); up to five.
    cross_references: tuple[str, ...]
    #: Key of :data:`COVERAGE_CODES`.
    coverage: str
    #: Key of :data:`ASC_PAYMENT_GROUPS`, or ``None`` when not approved for an ASC.
    asc_payment_group: str | None
    asc_effective_date: datetime.date | None
    #: Key of :data:`MOG_PAYMENT_GROUPS`.
    mog_payment_group: str | None
    #: Key of :data:`MOG_PAYMENT_POLICIES`.
    mog_payment_policy: str | None
    mog_effective_date: datetime.date | None
    #: Number of a processing note, e.g. ``"0088"``, and that note's text.
    processing_note: str | None
    processing_note_text: str | None
    #: Key of :data:`BETOS_CATEGORIES`.
    betos: str | None
    #: Keys of :data:`TYPES_OF_SERVICE`; one to five.
    types_of_service: tuple[str, ...]
    anesthesia_base_units: int | None

    @property
    def explanations(self) -> tuple[Explanation, ...]:
        """Every coded value of the record that is set, in layout order, with its meaning."""
        items = [Explanation("Pricing indicator", value, PRICING_INDICATORS[value])
                 for value in self.pricing_indicators]
        items.append(Explanation("Multiple pricing indicator", self.multiple_pricing_indicator,
                                 MULTIPLE_PRICING_INDICATORS[self.multiple_pricing_indicator]))
        items += [Explanation("Lab certification", value, LAB_CERTIFICATIONS[value])
                  for value in self.lab_certifications]
        items.append(Explanation("Coverage", self.coverage, COVERAGE_CODES[self.coverage]))
        for label, value, table in (
            ("ASC payment group", self.asc_payment_group, ASC_PAYMENT_GROUPS),
            ("MOG payment group", self.mog_payment_group, MOG_PAYMENT_GROUPS),
            ("MOG payment policy", self.mog_payment_policy, MOG_PAYMENT_POLICIES),
        ):
            if value is not None:
                items.append(Explanation(label, value, table[value]))
        if self.processing_note is not None and self.processing_note_text is not None:
            items.append(Explanation("Processing note", self.processing_note, self.processing_note_text))
        if self.betos is not None:
            items.append(Explanation("BETOS category", self.betos, BETOS_CATEGORIES[self.betos]))
        items += [Explanation("Type of service", value, TYPES_OF_SERVICE[value]) for value in self.types_of_service]
        items.append(Explanation("Action", self.action, ACTION_CODES[self.action]))
        return tuple(items)


@dataclass(frozen=True)
class HcpcsModifier(ReleaseEntry):
    """One HCPCS Level II modifier (two characters, e.g. ``"GY"``), as published (terminated ones included)."""

    code: str
    #: The full description, continuation records joined; words separated by single spaces.
    long_description: str
    short_description: str
    #: Key of :data:`COVERAGE_CODES`.
    coverage: str
    cim_references: tuple[str, ...]
    mcm_references: tuple[str, ...]
    cross_references: tuple[str, ...]
    processing_note: str | None
    processing_note_text: str | None

    @property
    def explanations(self) -> tuple[Explanation, ...]:
        """Every coded value of the record that is set, in layout order, with its meaning."""
        items = [Explanation("Coverage", self.coverage, COVERAGE_CODES[self.coverage])]
        if self.processing_note is not None and self.processing_note_text is not None:
            items.append(Explanation("Processing note", self.processing_note, self.processing_note_text))
        items.append(Explanation("Action", self.action, ACTION_CODES[self.action]))
        return tuple(items)


@dataclass(frozen=True)
class HcpcsRelease:
    """One quarterly HCPCS Level II release: every code and modifier of the data file, in file order.

    Terminated codes are included; :meth:`active_codes` leaves them out.
    """

    #: Calendar year and first month of the release, from the data member's name (``HCPC2026_JAN_...``).
    year: int
    month: int
    #: The date CMS produced the file: the ``MMDDYYYY`` suffix of the member name, else the member's timestamp.
    published: datetime.date
    #: The data member the records came from, e.g. ``HCPC2026_JAN_ANWEB_01122026.txt``.
    data_member: str
    codes: dict[str, HcpcsCode]
    modifiers: dict[str, HcpcsModifier]
    #: Processing note text by number (``"0088"``).
    processing_notes: dict[str, str]

    @property
    def label(self) -> str:
        """How pages name the release, e.g. ``CY2026 January (2026-01-12)``."""
        return f"CY{self.year} {calendar.month_name[self.month]} ({self.published.isoformat()})"

    @property
    def effective(self) -> datetime.date:
        """The first day the release applies to (the first day of its month)."""
        return datetime.date(self.year, self.month, 1)

    def active_codes(self, as_of: datetime.date | None = None) -> tuple[HcpcsCode, ...]:
        """Codes not terminated on ``as_of`` (default: :attr:`effective`)."""
        day = as_of or self.effective
        return tuple(code for code in self.codes.values() if not code.is_terminated(day))

    def page_keys(self) -> tuple[str, ...]:
        """The key of every page: the codes, then the modifiers (``modifier-GY``), each in code order."""
        return (*sorted(self.codes), *(modifier_key(code) for code in sorted(self.modifiers)))

    def code(self, text: str) -> HcpcsCode | None:
        """The code ``text`` in any spelling (``" j9035"``), or ``None`` when the release does not have it."""
        return self.codes.get(normalise_code("hcpcs", text))

    def modifier(self, text: str) -> HcpcsModifier | None:
        """The modifier ``text`` in any spelling (``"gy"``), or ``None`` when the release does not have it."""
        return self.modifiers.get(text.strip().upper())


class InvalidHcpcsFile(InvalidContent):
    """The HCPCS zip has problems; every one is listed, then reading stops once."""

    def __init__(self, problems: list[Problem], zip_path: Path) -> None:
        super().__init__(problems)
        count = len(self.problems)
        self.args = (f"{count} problem{'s' if count != 1 else ''} found in {zip_path}; the HCPCS file was not read",)


# --- The columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One field of the fixed-width record, with positions as the CMS layout gives them (1-based, inclusive).

    A repeated field (``occurs`` > 1) has its occurrences side by side from ``first``.
    """

    label: str
    layout_name: str
    first: int
    last: int
    occurs: int = 1

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def slices(self) -> tuple[slice, ...]:
        """Python slices of each occurrence in a record."""
        start = self.first - 1
        return tuple(slice(start + i * self.length, start + (i + 1) * self.length) for i in range(self.occurs))

    def name(self, occurrence: int) -> str:
        """The field as named in messages: ``type of service code 2`` for the second of a repeated field."""
        return f"{self.label} {occurrence + 1}" if self.occurs > 1 else self.label


def _columns(*columns: Column) -> dict[str, Column]:
    return {column.label: column for column in columns}


COLUMNS: dict[str, Column] = _columns(
    Column("code", "Healthcare Common Procedure Coding System Code", 1, 5),
    Column("modifier", "HCPCS Modifier Code", 4, 5),
    Column("sequence number", "HCPCS Sequence Number", 6, 10),
    Column("record identification code", "HCPCS Record Identification Code", 11, 11),
    Column("long description", "HCPCS Long Description", 12, 91),
    Column("short description", "HCPCS Short Description", 92, 119),
    Column("pricing indicator", "HCPCS Pricing Indicator Code", 120, 121, occurs=4),
    Column("multiple pricing indicator", "HCPCS Multiple Pricing Indicator Code", 128, 128),
    Column("coverage issues manual reference", "HCPCS Coverage Issues Manual Reference Section Number", 129, 134,
           occurs=3),
    Column("carriers manual reference", "HCPCS Medicare Carriers Manual Reference Section Number", 147, 154, occurs=3),
    Column("statute", "HCPCS Statute Number", 171, 180),
    Column("lab certification code", "HCPCS Lab Certification Code", 181, 183, occurs=8),
    Column("cross reference", "HCPCS Cross Reference Code", 205, 209, occurs=5),
    Column("coverage code", "HCPCS Coverage Code", 230, 230),
    Column("ASC payment group", "HCPCS ASC Payment Group Code", 231, 232),
    Column("ASC effective date", "HCPCS ASC Payment Group Effective Date", 233, 240),
    Column("MOG payment group", "HCPCS MOG Payment Group Code", 241, 243),
    Column("MOG payment policy", "HCPCS MOG Payment Policy Indicator", 244, 244),
    Column("MOG effective date", "HCPCS MOG Effective Date", 245, 252),
    Column("processing note", "HCPCS Processing Note Number", 253, 256),
    Column("BETOS code", "HCPCS Berenson-Eggers Type Of Service Code", 257, 259),
    Column("type of service code", "HCPCS Type Of Service Code", 261, 261, occurs=5),
    Column("anesthesia base units", "HCPCS Anesthesia Base Unit Quantity", 266, 268),
    Column("added date", "HCPCS Code Added Date", 269, 276),
    Column("action effective date", "HCPCS Action Effective Date", 277, 284),
    Column("termination date", "HCPCS Termination Date", 285, 292),
    Column("action code", "HCPCS Action Code", 293, 293),
)
"""Every column this module reads, keyed by the field name used in messages."""

#: Columns a continuation record leaves blank (the layout: "no detail information in positions 92-275").
_CONTINUATION_BLANK = slice(91, 275)
#: Columns that only procedure codes use; on a modifier record they must be blank.
_CODE_ONLY = ("pricing indicator", "multiple pricing indicator", "statute", "lab certification code",
              "ASC payment group", "ASC effective date", "MOG payment group", "MOG payment policy",
              "MOG effective date", "BETOS code", "type of service code", "anesthesia base units")

#: Record identification codes: the kind of record they start or continue.
_FIRST = {"3": "code", "7": "modifier"}
_CONTINUATION = {"4": "code", "8": "modifier"}
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_DATE = re.compile(r"\d{8}")


# --- Reading ----------------------------------------------------------------------------------

_DATA_MEMBER = re.compile(r".*ANWEB.*\.txt", re.IGNORECASE)
_LAYOUT_MEMBER = re.compile(r".*record.?layout.*\.txt", re.IGNORECASE)
_NOTES_MEMBER = re.compile(r".*proc.?notes.*\.txt", re.IGNORECASE)
_RELEASE_NAME = re.compile(r"HCPC(?P<year>\d{4})_(?P<month>[A-Z]{3})_", re.IGNORECASE)
_PUBLISHED_SUFFIX = re.compile(r"_(?P<month>\d\d)(?P<day>\d\d)(?P<year>\d{4})\.txt$", re.IGNORECASE)
_MONTHS = {calendar.month_abbr[number].upper(): number for number in range(1, 13)}


def read_hcpcs(zip_path: Path) -> HcpcsRelease:
    """Read the CMS HCPCS zip at ``zip_path`` (e.g. ``january-2026-alpha-numeric-hcpcs-file.zip``).

    Raises :class:`~generator.errors.Abort` when the zip or one of its members is
    missing, and :class:`InvalidHcpcsFile` listing every problem in the members.
    """
    if not zip_path.is_file():
        raise Abort(f"{zip_path}: no such file (the CMS alpha-numeric HCPCS zip)")
    try:
        with zipfile.ZipFile(zip_path) as archive:
            data_info = _member(archive, zip_path, _DATA_MEMBER, "*ANWEB*.txt", "the HCPCS records")
            layout_info = _member(archive, zip_path, _LAYOUT_MEMBER, "*recordlayout*.txt", "the record layout")
            notes_info = _member(archive, zip_path, _NOTES_MEMBER, "*proc_notes*.txt", "the processing notes")
            data, layout, notes_text = (archive.read(info) for info in (data_info, layout_info, notes_info))
    except (zipfile.BadZipFile, OSError) as error:
        raise Abort(f"{zip_path}: cannot read the zip: {error}") from error

    year, month, published = _release_date(data_info, zip_path)
    layout_problems = _check_layout(_decode(layout, layout_info.filename), layout_info.filename)
    if layout_problems:
        raise InvalidHcpcsFile(layout_problems, zip_path)
    notes, problems = _read_processing_notes(_decode(notes_text, notes_info.filename), notes_info.filename)
    reader = _RecordReader(data_info.filename, notes, notes_info.filename)
    reader.read(_decode(data, data_info.filename))
    problems += reader.problems
    if problems:
        raise InvalidHcpcsFile(problems, zip_path)
    return HcpcsRelease(year, month, published, data_info.filename, reader.codes, reader.modifiers, notes)


def _member(
    archive: zipfile.ZipFile, zip_path: Path, pattern: re.Pattern[str], shown: str, what: str
) -> zipfile.ZipInfo:
    """The one member whose file name (without folders) matches ``pattern``."""
    found = [info for info in archive.infolist()
             if not info.is_dir() and pattern.fullmatch(PurePosixPath(info.filename).name)]
    if len(found) != 1:
        names = ", ".join(info.filename for info in (found or archive.infolist())) or "none"
        problem = "no member" if not found else "several members"
        raise Abort(f"{zip_path}: {problem} named like {shown} ({what}); members: {names}")
    return found[0]


def _release_date(info: zipfile.ZipInfo, zip_path: Path) -> tuple[int, int, datetime.date]:
    name = PurePosixPath(info.filename).name
    release = _RELEASE_NAME.match(name)
    if not release or release["month"].upper() not in _MONTHS:
        raise Abort(f"{zip_path}: cannot tell the release year and month from the member name {name!r} "
                    f"(expected e.g. HCPC2026_JAN_ANWEB_01122026.txt)")
    try:
        if suffix := _PUBLISHED_SUFFIX.search(name):
            published = datetime.date(int(suffix["year"]), int(suffix["month"]), int(suffix["day"]))
        else:
            # Some releases are named with a version instead (HCPC2025_JAN_ANWEB_v3.txt).
            published = datetime.date(*info.date_time[:3])
    except ValueError as error:
        raise Abort(f"{zip_path}: {name}: no valid publication date in the name: {error}") from error
    return int(release["year"]), _MONTHS[release["month"].upper()], published


def _decode(data: bytes, member: str) -> str:
    """The member as text; CMS writes plain ASCII, and a fixed-width record cannot hold multi-byte characters."""
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise Abort(f"{member}:{line}: not ASCII text: byte 0x{data[error.start]:02X} at position {column}") from error


def _lines(text: str) -> list[str]:
    """Lines without their CRLF or LF ending (``str.splitlines`` would also split on form feeds and the like)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


_LAYOUT_FIELD = re.compile(r"\s{0,4}(\d{1,2})\.\s+(\S.*?)(?:\s+(?:CHAR|NUM|GRP))?\s*")
_LAYOUT_POSITIONS = re.compile(r"\s+(\d+)\s+(\d+)\s+(\d+)\b.*")
_LAYOUT_OCCURS = re.compile(r"\s*OCCURS MIN:\s*\d+\s+OCCURS MAX:\s*(\d+)\s*")


def _check_layout(text: str, member: str) -> list[Problem]:
    """Compare :data:`COLUMNS` with the record layout CMS ships in the zip; a problem for each difference."""
    fields: dict[str, tuple[int, int, int, int]] = {}  # normalised name -> (line, first, last, occurs)
    lines = _lines(text)
    current: str | None = None
    for number, line in enumerate(lines, 1):
        line = line.expandtabs(8)
        if (heading := _LAYOUT_FIELD.fullmatch(line)) and number < len(lines):
            positions = _LAYOUT_POSITIONS.fullmatch(lines[number].expandtabs(8))
            if positions:
                _, first, last = (int(value) for value in positions.groups())
                current = " ".join(heading[2].split()).lower()
                fields.setdefault(current, (number, first, last, 1))
                continue
        if current and (occurs := _LAYOUT_OCCURS.fullmatch(line)):
            line_number, first, last, _ = fields[current]
            fields[current] = (line_number, first, last, int(occurs[1]))
    problems = []
    for column in COLUMNS.values():
        name = " ".join(column.layout_name.split()).lower()
        if name not in fields:
            problems.append(Problem(member, 0, column.label,
                                    f"field {column.layout_name!r} is not in the record layout"))
            continue
        line_number, first, last, occurs = fields[name]
        if (first, last, occurs) != (column.first, column.last, column.occurs):
            problems.append(Problem(
                member, line_number, column.label,
                f"the record layout puts {column.layout_name!r} at {first}-{last} (x{occurs}); "
                f"this reader expects {column.first}-{column.last} (x{column.occurs}): "
                "update COLUMNS in generator/sources/hcpcs.py",
            ))
    return problems


_NOTE_START = re.compile(r"\s*(\d{4})--(.*)")
_NOTE_BORDER = re.compile(r"\s*\*?\s*$")


def _read_processing_notes(text: str, member: str) -> tuple[dict[str, str], list[Problem]]:
    """Processing notes by number. A note starts with ``0001--`` and continues until the next one.

    The file frames the text with a column of ``*`` on the right and mixes tabs and
    spaces; both are dropped, and whitespace runs become single spaces.
    """
    parts: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    problems = []
    current: list[str] | None = None
    for number, line in enumerate(_lines(text), 1):
        line = _NOTE_BORDER.sub("", line)
        if start := _NOTE_START.match(line):
            note = start[1]
            if note in parts:
                problems.append(Problem(member, number, "note number",
                                        f"duplicate note {note}, first at line {first_line[note]}"))
                current = None
                continue
            current = parts[note] = [start[2]]
            first_line[note] = number
        elif current is not None and line.strip():
            current.append(line)
    if not parts:
        problems.append(Problem(member, 0, "", "no processing notes found (expected lines like '0001--TEXT')"))
    return {note: " ".join(" ".join(lines).split()) for note, lines in parts.items()}, problems


@dataclass
class _Pending:
    """A code or modifier whose continuation records may still follow."""

    kind: str
    key: str
    line: int
    sequence: int
    chunks: list[str]
    #: The record read so far (its long description is filled in by :meth:`_RecordReader.finish`), or
    #: ``None`` when it had problems; its continuation records are still consumed.
    record: HcpcsCode | HcpcsModifier | None


class _RecordReader:
    """Reads the data member record by record, collecting problems."""

    def __init__(self, member: str, notes: dict[str, str], notes_member: str) -> None:
        self.member = member
        self.notes = notes
        self.notes_member = notes_member
        self.problems: list[Problem] = []
        self.codes: dict[str, HcpcsCode] = {}
        self.modifiers: dict[str, HcpcsModifier] = {}
        self.first_lines: dict[tuple[str, str], int] = {}
        self.pending: _Pending | None = None

    def problem(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.member, line, field, message))

    def read(self, text: str) -> None:
        for number, line in enumerate(_lines(text), 1):
            if not line.strip():
                continue  # the file ends with a line of spaces; blank lines carry no record
            if len(line) != RECORD_LENGTH:
                if len(line) < RECORD_LENGTH or line[RECORD_LENGTH:].strip():
                    self.problem(number, "", f"record is {len(line)} characters long; expected {RECORD_LENGTH}")
                    continue
                line = line[:RECORD_LENGTH]  # one record of the 2026 file is padded with extra spaces
            self.record(number, line)
        self.finish()

    def record(self, number: int, line: str) -> None:
        kind_code = line[10]
        sequence_text = line[5:10]
        if not sequence_text.isdigit():
            self.problem(number, "sequence number", f"not a number: {sequence_text!r}")
            return
        sequence = int(sequence_text)
        key = line[:5]
        if kind_code in _FIRST:
            self.finish()
            kind = _FIRST[kind_code]
            record = self.first_record(number, line, kind)
            self.pending = _Pending(kind, key, number, sequence, [line[11:91]], record)
        elif kind_code in _CONTINUATION:
            self.continuation(number, line, key, _CONTINUATION[kind_code], sequence)
        else:
            self.problem(number, "record identification code",
                         f"unknown value {kind_code!r} (3 or 4 for procedure codes, 7 or 8 for modifiers)")

    def continuation(self, number: int, line: str, key: str, kind: str, sequence: int) -> None:
        pending = self.pending
        if pending is None or pending.key != key:
            self.problem(number, "record identification code",
                         f"continuation of {key.strip()!r} without its first record")
            # Later continuations of the same code attach here instead of repeating the problem.
            self.pending = _Pending(kind, key, number, sequence, [], None)
            return
        if pending.kind != kind:
            self.problem(number, "record identification code",
                         f"{line[10]!r} continues a {kind} record, but {key.strip()!r} started as a {pending.kind}")
            pending.record = None
        if sequence != pending.sequence + 100:
            self.problem(number, "sequence number",
                         f"expected {pending.sequence + 100:05d} after {pending.sequence:05d}, got {sequence:05d}")
            pending.record = None
        if line[_CONTINUATION_BLANK].strip():
            self.problem(number, "record identification code",
                         f"continuation record {line[10]!r} has data in positions 92-275, which must be blank")
            pending.record = None
        pending.sequence = sequence
        pending.chunks.append(line[11:91])

    def finish(self) -> None:
        """Store the pending code or modifier, now that all of its records are read."""
        pending, self.pending = self.pending, None
        if pending is None or pending.record is None:
            return
        # CMS wraps the description at a space and pads each piece; some pieces also hold double spaces.
        description = " ".join(" ".join(pending.chunks).split())
        record = replace(pending.record, long_description=description)
        if isinstance(record, HcpcsCode):
            self.codes[record.code] = record
        else:
            self.modifiers[record.code] = record

    def first_record(self, number: int, line: str, kind: str) -> HcpcsCode | HcpcsModifier | None:
        """The code or modifier of a first record (long description still empty), or ``None`` after recording
        its problems."""
        before = len(self.problems)
        field = _FieldReader(self, number, line)
        if kind == "code":
            code = line[:5]
            if not is_well_formed("hcpcs", code):
                self.problem(number, "code", f"malformed HCPCS code {code!r} (expected a letter and 4 digits)")
        else:
            code = line[3:5]
            if line[:3].strip() or not _MODIFIER.fullmatch(code):
                self.problem(number, "modifier",
                             f"malformed modifier {line[:5]!r} (expected 3 spaces and 2 letters or digits)")
            for label in _CODE_ONLY:
                for name, value in field.raw(label):
                    if value:
                        self.problem(number, name, f"not used on modifier records, got {value!r}")
        if (kind, code) in self.first_lines:
            self.problem(number, kind,
                         f"duplicate {kind} {code.strip()!r}, first at line {self.first_lines[(kind, code)]}")
        else:
            self.first_lines[(kind, code)] = number

        if not line[11:91].strip():
            self.problem(number, "long description", "missing")
        note = field.optional("processing note")
        if note is not None and note not in self.notes:
            self.problem(number, "processing note", f"note {note!r} is not in {self.notes_member}")
        short_description = field.required("short description")
        coverage = field.required_coded("coverage code", COVERAGE_CODES)
        cim_references = field.repeated("coverage issues manual reference")
        mcm_references = field.repeated("carriers manual reference")
        cross_references = field.repeated("cross reference")
        added_date = field.required_date("added date")
        action_effective_date = field.required_date("action effective date")
        termination_date = field.date("termination date")
        action = field.required_coded("action code", ACTION_CODES)
        note_text = self.notes.get(note) if note else None
        if kind == "modifier":
            if len(self.problems) > before:
                return None
            return HcpcsModifier(
                code=code, long_description="", short_description=short_description, coverage=coverage,
                cim_references=cim_references, mcm_references=mcm_references, cross_references=cross_references,
                processing_note=note, processing_note_text=note_text, added_date=added_date,
                action_effective_date=action_effective_date, termination_date=termination_date, action=action,
                source_line=number,
            )
        record = HcpcsCode(
            code=code,
            long_description="",
            short_description=short_description,
            pricing_indicators=field.coded_list("pricing indicator", PRICING_INDICATORS, required=True),
            multiple_pricing_indicator=field.required_coded("multiple pricing indicator", MULTIPLE_PRICING_INDICATORS),
            cim_references=cim_references,
            mcm_references=mcm_references,
            statute=field.optional("statute"),
            lab_certifications=field.coded_list("lab certification code", LAB_CERTIFICATIONS),
            cross_references=cross_references,
            coverage=coverage,
            asc_payment_group=field.coded("ASC payment group", ASC_PAYMENT_GROUPS),
            asc_effective_date=field.date("ASC effective date"),
            mog_payment_group=field.coded("MOG payment group", MOG_PAYMENT_GROUPS),
            mog_payment_policy=field.coded("MOG payment policy", MOG_PAYMENT_POLICIES),
            mog_effective_date=field.date("MOG effective date"),
            processing_note=note,
            processing_note_text=note_text,
            betos=field.coded("BETOS code", BETOS_CATEGORIES),
            types_of_service=field.coded_list("type of service code", TYPES_OF_SERVICE, required=True),
            anesthesia_base_units=field.number("anesthesia base units"),
            added_date=added_date,
            action_effective_date=action_effective_date,
            termination_date=termination_date,
            action=action,
            source_line=number,
        )
        return record if len(self.problems) == before else None


class _FieldReader:
    """Reads the columns of one first record; each problem names the record's line and the field."""

    def __init__(self, reader: _RecordReader, line_number: int, line: str) -> None:
        self.reader = reader
        self.line_number = line_number
        self.line = line

    def raw(self, label: str) -> list[tuple[str, str]]:
        """``(field name, stripped value)`` of each occurrence of a column."""
        column = COLUMNS[label]
        return [(column.name(i), self.line[part].strip()) for i, part in enumerate(column.slices)]

    def problem(self, field: str, message: str) -> None:
        self.reader.problem(self.line_number, field, message)

    def optional(self, label: str) -> str | None:
        return self.raw(label)[0][1] or None

    def required(self, label: str) -> str:
        value = self.raw(label)[0][1]
        if not value:
            self.problem(label, "missing")
        return value

    def repeated(self, label: str) -> tuple[str, ...]:
        return tuple(value for _, value in self.raw(label) if value)

    def coded(self, label: str, table: dict[str, str]) -> str | None:
        [(name, value)] = self.raw(label)
        return self._check_code(name, value, table, required=False)

    def required_coded(self, label: str, table: dict[str, str]) -> str:
        """The value, or ``""`` after recording a problem (the record is then dropped)."""
        [(name, value)] = self.raw(label)
        return self._check_code(name, value, table, required=True) or ""

    def coded_list(self, label: str, table: dict[str, str], required: bool = False) -> tuple[str, ...]:
        raw = self.raw(label)
        if required and not any(value for _, value in raw):
            self.problem(label, "missing")
        return tuple(value for name, value in raw if self._check_code(name, value, table, required=False))

    def _check_code(self, name: str, value: str, table: dict[str, str], required: bool) -> str | None:
        if not value:
            if required:
                self.problem(name, "missing")
            return None
        if value not in table:
            self.problem(name, f"unknown value {value!r}")
            return None
        return value

    def date(self, label: str) -> datetime.date | None:
        value = self.raw(label)[0][1]
        if not value:
            return None
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            self.problem(label, f"not a date (YYYYMMDD): {value!r}")
            return None

    def required_date(self, label: str) -> datetime.date:
        """The date, or ``date.min`` after recording a problem (the record is then dropped)."""
        value = self.date(label)
        if value is None and not self.raw(label)[0][1]:
            self.problem(label, "missing")
        return value or datetime.date.min

    def number(self, label: str) -> int | None:
        value = self.raw(label)[0][1]
        if not value:
            return None
        if not value.isdigit():
            self.problem(label, f"not a number: {value!r}")
            return None
        return int(value)

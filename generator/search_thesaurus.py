"""Everyday words and abbreviations for clinical titles, added to the synonyms a document is found by.

Official titles use clinical language ("Acute myocardial infarction"); people search with
everyday words ("heart attack") and coders with abbreviations ("AMI", "CHF"). Each rule
names the words a title must contain (any order, compared as lunr terms) and the phrases
to add. The rules are written here, in our own words; they add to the data's own synonyms
(inclusion terms, body-part includes, contributors' synonyms) and never replace them.
"""

from __future__ import annotations

from .search_text import terms

RULES: tuple[tuple[str, str], ...] = (
    # conditions
    ("myocardial infarction", "heart attack; MI; AMI"),
    ("heart failure", "CHF; HF; congestive heart failure"),
    ("essential hypertension", "high blood pressure; HTN"),
    ("hypertensive", "high blood pressure; HTN"),
    ("diabetes mellitus", "DM; diabetes; sugar diabetes"),
    ("type 1 diabetes", "T1DM; IDDM; juvenile diabetes"),
    ("type 2 diabetes", "T2DM; NIDDM; adult onset diabetes"),
    ("ketoacidosis diabetes", "DKA"),
    ("hyperlipidemia", "high cholesterol; high lipids"),
    ("hypercholesterolemia", "high cholesterol"),
    ("atherosclerotic heart disease", "CAD; coronary artery disease"),
    ("atrial fibrillation", "AFib; AF; irregular heartbeat"),
    ("chronic obstructive pulmonary disease", "COPD; emphysema"),
    ("asthma", "wheezing; reactive airway"),
    ("chronic kidney disease", "CKD; kidney disease"),
    ("end stage renal disease", "ESRD; kidney failure"),
    ("acute kidney failure", "AKI; acute kidney injury; ARF"),
    ("cerebral infarction", "stroke; CVA"),
    ("transient cerebral ischemic attack", "TIA; mini stroke"),
    ("pulmonary embolism", "PE; blood clot in lung"),
    ("deep vein", "DVT; blood clot in leg"),
    ("urinary tract infection", "UTI; bladder infection"),
    ("cystitis", "bladder infection; UTI"),
    ("gastro-esophageal reflux", "GERD; acid reflux; heartburn"),
    ("benign prostatic hyperplasia", "BPH; enlarged prostate"),
    ("obstructive sleep apnea", "OSA; sleep apnea"),
    ("major depressive disorder", "MDD; depression"),
    ("generalized anxiety disorder", "GAD; anxiety"),
    ("attention-deficit hyperactivity", "ADHD; ADD"),
    ("autistic disorder", "autism"),
    ("rheumatoid arthritis", "RA"),
    ("osteoarthritis", "OA; DJD; degenerative joint disease; arthritis"),
    ("systemic lupus erythematosus", "SLE; lupus"),
    ("multiple sclerosis", "MS"),
    ("irritable bowel syndrome", "IBS"),
    ("acute upper respiratory infection", "URI; cold"),
    ("acute nasopharyngitis", "common cold; head cold"),
    ("acute pharyngitis", "sore throat"),
    ("streptococcal pharyngitis", "strep throat"),
    ("otitis media", "ear infection; OM"),
    ("influenza", "flu"),
    ("gastroenteritis", "stomach flu; stomach bug"),
    ("varicella", "chickenpox"),
    ("zoster", "shingles"),
    ("conjunctivitis", "pink eye"),
    ("hordeolum", "stye"),
    ("pediculosis", "lice"),
    ("dental caries", "cavities; tooth decay"),
    ("epistaxis", "nosebleed; nose bleed"),
    ("syncope", "fainting; passing out"),
    ("dyspnea", "shortness of breath; SOB"),
    ("pyrexia", "fever"),
    ("cephalgia", "headache"),
    ("pruritus", "itching; itchy skin"),
    ("alopecia", "hair loss"),
    ("tinnitus", "ringing in the ears"),
    ("insomnia", "trouble sleeping; sleeplessness"),
    ("obesity", "overweight"),
    ("hypothyroidism", "underactive thyroid; low thyroid"),
    ("hyperthyroidism", "overactive thyroid"),
    ("calculus kidney", "kidney stone"),
    ("calculus ureter", "kidney stone; ureteral stone"),
    ("calculus gallbladder", "gallstones"),
    ("cholelithiasis", "gallstones"),
    ("contusion", "bruise"),
    ("laceration", "cut"),
    ("fracture", "broken bone; break; fx"),
    ("fracture lower end radius", "broken wrist; wrist fracture"),
    ("fracture lower end ulna", "broken wrist"),
    ("fracture neck femur", "broken hip; hip fracture"),
    ("fracture ankle", "broken ankle"),
    ("fracture malleolus", "broken ankle; ankle fracture"),
    ("sprain", "twisted; pulled ligament"),
    ("malignant neoplasm", "cancer; tumor; CA"),
    ("carcinoma in situ", "early cancer"),
    ("benign neoplasm", "benign tumor; noncancerous growth"),
    ("malignant neoplasm breast", "breast cancer"),
    ("malignant neoplasm bronchus lung", "lung cancer"),
    ("malignant neoplasm prostate", "prostate cancer"),
    ("malignant neoplasm colon", "colon cancer; colorectal cancer"),
    ("human immunodeficiency virus", "HIV; AIDS"),
    ("covid-19", "coronavirus; SARS-CoV-2"),
    ("anemia", "low blood count; low iron"),
    ("iron deficiency anemia", "IDA"),
    ("vitamin d deficiency", "low vitamin d"),
    ("pregnancy", "pregnant; expecting"),
    ("dementia", "memory loss"),
    ("alzheimer's disease", "Alzheimers; dementia"),
    ("nicotine dependence", "smoking; smoker; tobacco use"),
    ("alcohol dependence", "alcoholism"),
    ("opioid dependence", "opioid addiction; OUD"),
    ("low back pain", "LBP; backache; lower back pain"),
    ("dorsalgia", "back pain"),
    ("nausea vomiting", "N/V; throwing up; sick to stomach"),
    ("vomiting", "throwing up"),
    ("constipation", "hard stools"),
    ("diarrhea", "loose stools; the runs"),
    ("migraine", "bad headache"),
    ("seizures", "fits; convulsions"),
    ("epilepsy", "seizure disorder"),
    ("sepsis", "blood infection; septicemia"),
    ("cellulitis", "skin infection"),
    ("dermatitis", "rash; eczema"),
    ("personal history", "hx; history of"),
    ("family history", "FHx; family hx"),
    ("motor-vehicle", "car accident; MVA; MVC"),
    ("car driver injured", "car accident; MVA"),
    # procedures (ICD-10-PCS titles name an operation and a body part)
    ("resection appendix", "appendectomy"),
    ("resection gallbladder", "cholecystectomy; gallbladder removal"),
    ("resection uterus", "hysterectomy"),
    ("resection breast", "mastectomy"),
    ("resection prostate", "prostatectomy"),
    ("resection kidney", "nephrectomy"),
    ("resection spleen", "splenectomy"),
    ("resection thyroid gland", "thyroidectomy"),
    ("resection tonsils", "tonsillectomy"),
    ("resection colon", "colectomy"),
    ("resection stomach", "gastrectomy"),
    ("resection lung", "pneumonectomy; lobectomy"),
    ("excision prepuce", "circumcision"),
    ("resection prepuce", "circumcision"),
    ("replacement knee joint", "knee replacement; knee arthroplasty; TKA; TKR"),
    ("replacement hip joint", "hip replacement; hip arthroplasty; THA; THR"),
    ("replacement shoulder joint", "shoulder replacement; shoulder arthroplasty"),
    ("replacement lens", "cataract surgery; lens implant"),
    ("bypass coronary artery", "CABG; heart bypass; coronary bypass"),
    ("dilation coronary artery", "angioplasty; PCI; coronary stent"),
    ("inspection lower intestinal tract endoscopic", "colonoscopy"),
    ("inspection upper intestinal tract endoscopic", "EGD; upper endoscopy"),
    ("extraction products conception", "delivery; C-section; cesarean"),
    ("delivery products conception", "childbirth; vaginal delivery"),
    ("occlusion fallopian tube", "tubal ligation; tubes tied"),
    ("occlusion vas deferens", "vasectomy"),
    ("fusion lumbar vertebral", "spinal fusion; back fusion"),
    ("fusion cervical vertebral", "neck fusion; spinal fusion"),
    ("transfusion", "blood transfusion"),
    ("hemodialysis", "dialysis"),
    ("computerized tomography", "CT scan; CAT scan"),
    ("magnetic resonance imaging", "MRI"),
    ("ultrasonography", "ultrasound; sonogram"),
    ("plain radiography", "x-ray; xray"),
    ("electrocardiogram", "EKG; ECG"),
    ("echocardiography", "echo; heart ultrasound"),
    ("mammography", "mammogram"),
    ("screening mammography", "mammogram"),
    ("colorectal cancer screening", "colonoscopy screening; colon cancer screening"),
    ("influenza virus vaccine", "flu shot; flu vaccine"),
    ("pneumococcal vaccine", "pneumonia shot"),
    ("wheelchair", "wheel chair"),
    ("continuous positive airway pressure", "CPAP"),
    ("durable medical equipment", "DME"),
)


def _compile() -> list[tuple[frozenset[str], tuple[str, ...]]]:
    compiled = []
    for clinical, lay in RULES:
        required = frozenset(terms(clinical))
        if not required:
            raise ValueError(f"thesaurus rule {clinical!r} has only stop words")
        compiled.append((required, tuple(phrase.strip() for phrase in lay.split(";"))))
    return compiled


_COMPILED = _compile()


def everyday_terms(title_terms: set[str]) -> list[str]:
    """The everyday phrases for a title whose lunr terms are ``title_terms``."""
    found: list[str] = []
    for required, phrases in _COMPILED:
        if required <= title_terms:
            found.extend(phrase for phrase in phrases if phrase not in found)
    return found

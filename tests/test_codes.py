import pytest

from generator.codes import CodeRange, RangeError, is_well_formed, normalise_code, parse_code_or_range


@pytest.mark.parametrize(
    ("system", "typed", "normal"),
    [
        ("icd10cm", "e1165", "E11.65"),
        ("icd10cm", " E11.65 ", "E11.65"),
        ("icd10cm", "E11", "E11"),
        ("icd10cm", "s72001a", "S72.001A"),
        ("cpt", " 96417 ", "96417"),
        ("hcpcs", "j9035", "J9035"),
        ("icd10pcs", "0dtj4zz", "0DTJ4ZZ"),
    ],
)
def test_normalise_code(system: str, typed: str, normal: str) -> None:
    assert normalise_code(system, typed) == normal
    assert is_well_formed(system, normal)


@pytest.mark.parametrize(("system", "code"), [("cpt", "9641"), ("cpt", "A9641"), ("hcpcs", "96417"), ("icd10pcs", "0DTJ4ZI")])
def test_malformed_codes(system: str, code: str) -> None:
    assert not is_well_formed(system, code)


def test_range_membership() -> None:
    chemo = parse_code_or_range("cpt", "96401-96549")
    assert chemo == CodeRange("96401", "96549")
    assert "96417" in chemo and "96401" in chemo and "96549" in chemo
    assert "96400" not in chemo and "96550" not in chemo
    diabetes = parse_code_or_range("icd10cm", "E08-E13")
    assert "E11.65" in diabetes and "E13.9" in diabetes
    assert "E14" not in diabetes and "E07.9" not in diabetes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("96549-96401", "malformed range '96549-96401': 96549 comes after 96401"),
        ("96401-96549-96600", "malformed range '96401-96549-96600': expected 'FIRST-LAST'"),
        ("96401-9654", "malformed code '9654' in '96401-9654': not a CPT code (e.g. 96417)"),
    ],
)
def test_range_errors(text: str, message: str) -> None:
    with pytest.raises(RangeError) as error:
        parse_code_or_range("cpt", text)
    assert str(error.value) == message

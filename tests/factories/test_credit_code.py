"""The unified social credit code (GB 32100-2015) validator, with real check characters."""

import pytest
from django.core.exceptions import ValidationError

from factories.validators import credit_code_check_char, validate_credit_code
from tests import makers


def messages(code: str) -> list[str]:
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    return info.value.messages


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a real registration (Fujian), check character 3
        "91110000100000000R",  # Beijing, check character R
        " 91350100m000100y43 ",  # surrounding spaces and lower case are what people paste
    ],
)
def test_valid_codes_pass(code):
    # when / then: no exception
    assert validate_credit_code(code) is None


def test_generated_codes_are_valid():
    # given: the maker used in every other test must produce codes the validator accepts
    codes = [makers.valid_credit_code() for _ in range(200)]
    # then
    for code in codes:
        validate_credit_code(code)


def test_check_character_is_computed_with_the_official_weights():
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_wrong_check_character_is_refused():
    assert messages("91350100M000100Y44") == [
        "The unified social credit code's check character is wrong; please check it for typos."
    ]


def test_transposed_characters_are_caught_by_the_check_character():
    assert messages("91350100M000010Y43") == [
        "The unified social credit code's check character is wrong; please check it for typos."
    ]


@pytest.mark.parametrize(("code", "n"), [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("", 0)])
def test_wrong_length_is_refused(code, n):
    assert messages(code) == [f"A unified social credit code has 18 characters; this one has {n}."]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_refused(letter):
    code = "91350100M000100Y4" + letter
    assert messages(code) == [
        f"The unified social credit code contains characters that are not allowed: {letter}."
    ]


def test_all_bad_characters_are_named_at_once():
    assert messages("91350100MOOS00-Y43") == [
        "The unified social credit code contains characters that are not allowed: - O S."
    ]


def test_division_code_must_be_digits():
    code = "9135A100M000100Y4"
    assert messages(code + credit_code_check_char(code)) == [
        "Characters 3–8 of the unified social credit code must be the administrative division code."
    ]

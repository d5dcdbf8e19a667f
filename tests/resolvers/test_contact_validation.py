"""Contact data is normalised one way for the API and the importer: plain functions, no database."""

from __future__ import annotations

import pytest

from resolvers import contact_validation as cv
from resolvers.errors import ValidationFailed

# Emails


def test_email_is_trimmed_and_lower_cased():
    assert cv.normalise_email("  Accounts@Ganesh.EXAMPLE ") == "accounts@ganesh.example"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_email_means_no_email(blank):
    assert cv.normalise_email(blank) is None


@pytest.mark.parametrize("bad", ["not-an-email", "a@b", "a@@b.example", "user@exa mple.com"])
def test_malformed_email_is_refused_on_the_email_field(bad):
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_email(bad)
    assert caught.value.field == "email"
    assert caught.value.code == "VALIDATION_ERROR"


def test_email_error_names_the_field_it_was_given():
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_email("nope", field="contacts.0.email")
    assert caught.value.field == "contacts.0.email"


# Phones


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("98200 12345", "+919820012345"),
        ("+91-98200-12345", "+919820012345"),
        ("098200 12345", "+919820012345"),
        ("0091 98200 12345", "+919820012345"),
        ("022 2345 6789", "+912223456789"),
        ("(022) 2345-6789", "+912223456789"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_is_normalised_to_e164_reading_national_numbers_as_indian(written, e164):
    assert cv.normalise_phone(written) == e164


@pytest.mark.parametrize("bad", ["12345", "9820012", "call me", "+91 98200"])
def test_invalid_phone_number_is_refused_on_the_phone_field(bad):
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_phone(bad)
    assert caught.value.field == "phone"


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank_phone_means_no_phone(blank):
    assert cv.normalise_phone(blank) is None


# Tax ids


def test_tax_id_is_upper_cased_without_separators():
    assert cv.normalise_tax_id("27aapfu 0939-f1zv") == "27AAPFU0939F1ZV"


@pytest.mark.parametrize("bad", ["AB12", "X" * 33, "GST#12345"])
def test_tax_id_outside_five_to_thirty_two_letters_and_digits_is_refused(bad):
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_tax_id(bad)
    assert caught.value.field == "taxId"


def test_blank_tax_id_means_no_tax_id():
    assert cv.normalise_tax_id("  ") is None


# Names and free text


def test_name_whitespace_is_collapsed():
    assert cv.normalise_name("  Shree   Ganesh\tEngineering ") == "Shree Ganesh Engineering"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_name_is_required(blank):
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_name(blank)
    assert (caught.value.field, caught.value.code) == ("name", "REQUIRED")


def test_overlong_name_is_refused():
    with pytest.raises(ValidationFailed):
        cv.normalise_name("x" * 201)


def test_optional_text_that_is_only_whitespace_becomes_none():
    assert cv.normalise_optional_text("   ", field="city", max_length=10) is None


# Tags


def test_tags_are_lower_cased_hyphenated_and_deduplicated_in_first_seen_order():
    assert cv.normalise_tags(["Key Account", "MSME", "key-account", "key_account"]) == [
        "key-account",
        "msme",
    ]


@pytest.mark.parametrize("written", ["Key Account", " KEY--account ", "key_account!"])
def test_one_tag_is_spelled_as_stored(written):
    assert cv.normalise_tag(written) == "key-account"


def test_tags_that_are_only_punctuation_are_dropped():
    assert cv.normalise_tags(["  ", "--", "!!", "export"]) == ["export"]


def test_no_tags_is_an_empty_list():
    assert cv.normalise_tags(None) == []


def test_more_than_the_maximum_number_of_tags_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_tags([f"tag-{i}" for i in range(cv.MAX_TAGS + 1)])
    assert caught.value.field == "tags"


def test_the_maximum_number_of_tags_is_accepted():
    assert len(cv.normalise_tags([f"tag-{i}" for i in range(cv.MAX_TAGS)])) == cv.MAX_TAGS


def test_duplicates_do_not_count_towards_the_tag_limit():
    tags = [f"tag-{i}" for i in range(cv.MAX_TAGS)] * 2
    assert len(cv.normalise_tags(tags)) == cv.MAX_TAGS


def test_overlong_tag_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_tags(["a" * (cv.MAX_TAG_LENGTH + 1)])
    assert caught.value.field == "tags"


# States and countries


@pytest.mark.parametrize(
    ("written", "state"),
    [
        ("MH", "Maharashtra"),
        ("mh", "Maharashtra"),
        (" maharashtra ", "Maharashtra"),
        ("TN", "Tamil Nadu"),
        ("tamil nadu", "Tamil Nadu"),
        ("Orissa", "Odisha"),
        ("OD", "Odisha"),
        ("Pondicherry", "Puducherry"),
        ("Uttaranchal", "Uttarakhand"),
        ("New Delhi", "Delhi"),
        ("J&K", "Jammu and Kashmir"),
        ("Jammu & Kashmir", "Jammu and Kashmir"),
        ("Andaman & Nicobar Islands", "Andaman and Nicobar Islands"),
    ],
)
def test_indian_state_is_spelled_one_way_whether_given_by_code_name_or_alias(written, state):
    assert cv.normalise_state(written, country="IN") == state


def test_unknown_indian_state_is_refused_on_the_address_state_field():
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_state("Atlantis", country="IN")
    assert caught.value.field == "address.state"


def test_regions_of_other_countries_are_kept_as_written():
    assert cv.normalise_state("  Bavaria ", country="DE") == "Bavaria"


def test_country_is_an_upper_cased_two_letter_code():
    assert cv.normalise_country(" de ") == "DE"


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_no_country_means_india(blank):
    assert cv.normalise_country(blank) == "IN"


@pytest.mark.parametrize("bad", ["India", "I", "D3"])
def test_country_that_is_not_a_two_letter_code_is_refused(bad):
    with pytest.raises(ValidationFailed) as caught:
        cv.normalise_country(bad)
    assert caught.value.field == "address.country"

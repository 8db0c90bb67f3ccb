"""Stage 1, text to ``Article``: the real sample, bylines glued or not, CRLF, quotes, bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.article import (
    MAX_BYTES,
    Metadata,
    parse_article,
    parse_date,
    parse_url,
    read_text,
    split_byline,
    split_sentences,
)
from graph.errors import InputError
from graph.model import Article

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "000_70e03d7c78804526.txt"


@pytest.fixture(scope="module")
def sample() -> Article:
    return parse_article(read_text(SAMPLE), Metadata(date(2024, 11, 18), source_name=SAMPLE.name))


def assert_offsets_hold(article: Article) -> None:
    """Every sentence is exactly ``text[start:end]``, in order, numbered from 0."""
    assert [s.index for s in article.sentences] == list(range(len(article.sentences)))
    for sentence in article.sentences:
        assert sentence.text == article.text[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip() and sentence.text
    starts = [s.start for s in article.sentences]
    assert starts == sorted(starts)


def test_article_sample_headline_standfirst_and_byline(sample: Article) -> None:
    assert sample.headline == (
        "Keir Starmer hints at new deals with three countries to stop migrants leaving"
    )
    assert sample.standfirst is not None
    assert sample.standfirst.startswith("Keir Stamer told reporters he is 'not going")
    assert sample.author == "Dave Burke"
    assert sample.outlet == "The Mirror"
    assert sample.published == date(2024, 11, 18)
    assert sample.source_name == SAMPLE.name


def test_article_sample_first_body_sentence_is_cut_from_the_byline(sample: Article) -> None:
    body = [s for s in sample.sentences if s.part == "body"]

    assert body[0].text.startswith("Keir Starmer has hinted")
    assert body[0].text.endswith("would-be asylum seekers leaving.")
    assert "by Dave Burke" not in sample.text and "Mirror" not in sample.text


def test_article_sample_sentences_index_the_text(sample: Article) -> None:
    assert_offsets_hold(sample)
    assert [s.part for s in sample.sentences[:3]] == ["headline", "standfirst", "body"]
    assert sample.text.startswith(sample.headline + "\n" + sample.standfirst + "\n")  # type: ignore[operator]
    assert len(sample.sentences) > 15


def test_article_sample_stray_closing_quote_joins_its_sentence(sample: Article) -> None:
    [said] = [s for s in sample.sentences if s.text.startswith("Mr Starmer said:")]

    assert said.text.endswith("is the right thing.”")
    assert not any(s.text.strip("”\"' ") == "" for s in sample.sentences)


def test_article_stray_closing_quote_joins_its_sentence() -> None:
    article = parse_article('Head\nHe said: "Yes.” Then he left.\n')

    assert [s.text for s in article.sentences] == ["Head", 'He said: "Yes.”', "Then he left."]
    assert_offsets_hold(article)


def test_article_sentence_at_an_offset(sample: Article) -> None:
    third = sample.sentences[2]

    assert sample.sentence_at(third.start) == third
    assert sample.sentence_at(third.end - 1) == third
    with pytest.raises(ValueError, match="outside every sentence"):
        sample.sentence_at(len(sample.text) + 10)


def test_article_byline_on_its_own_line_is_not_glued() -> None:
    text = "UK signs deal\nThe money pays for patrols\nby Jane Doe · The Example\nFirst. Second.\n"

    article = parse_article(text)

    assert (article.headline, article.standfirst) == ("UK signs deal", "The money pays for patrols")
    assert (article.author, article.outlet) == ("Jane Doe", "The Example")
    assert [s.text for s in article.sentences if s.part == "body"] == ["First.", "Second."]
    assert_offsets_hold(article)


def test_article_without_a_byline() -> None:
    article = parse_article("UK signs deal\nThe UK will pay Turkey. Talks go on.\nMore later.\n")

    assert article.author is None and article.outlet is None and article.standfirst is None
    assert [s.text for s in article.sentences] == [
        "UK signs deal",
        "The UK will pay Turkey.",
        "Talks go on.",
        "More later.",
    ]
    assert [s.paragraph for s in article.sentences] == [0, 1, 1, 2]
    assert_offsets_hold(article)


def test_article_crlf_input_parses_like_lf() -> None:
    lf = "UK signs deal\nStandfirst here\nby A Writer · The Daily\nOne. Two.\n\nThree.\n"

    crlf = parse_article(lf.replace("\n", "\r\n"))

    assert crlf == parse_article(lf)
    assert "\r" not in crlf.text
    assert_offsets_hold(crlf)


def test_article_outlet_given_by_the_user_wins() -> None:
    article = parse_article(
        "Head\nby Ann Lee · MailOnlineThe minister spoke.\n", Metadata(outlet="MailOnline")
    )

    assert (article.author, article.outlet) == ("Ann Lee", "MailOnline")
    assert article.sentences[1].text == "The minister spoke."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "by Dave Burke · The MirrorKeir Starmer said.",
            ("Dave Burke", "The Mirror", "Keir Starmer said."),
        ),
        (
            "by Sarah McDonald · The TimesThe minister spoke.",
            ("Sarah McDonald", "The Times", "The minister spoke."),
        ),
        ("By Jane Doe, BBC News", ("Jane Doe", "BBC News", "")),
        ("by Sarah McDonald", ("Sarah McDonald", None, "")),
        (
            "A first sentence about Mr McDonald.",
            (None, None, "A first sentence about Mr McDonald."),
        ),
    ],
)
def test_article_split_byline(line: str, expected: tuple[str | None, str | None, str]) -> None:
    assert split_byline(line) == expected


def test_article_key_is_the_text_whatever_the_url() -> None:
    text = "Head\nBody sentence.\n"

    assert parse_article(text).key == parse_article(text).key
    assert parse_article(text).key != parse_article(text + "More.\n").key
    with_url = parse_article(text, Metadata(url="https://news.example/a"))
    assert with_url.key == parse_article(text).key  # the same article, with or without --url
    assert parse_article("Head\r\nBody  sentence.").key == parse_article(text).key


def test_article_paragraph_opening_with_by_is_no_byline() -> None:
    article = parse_article("Head\nBy the end of the year, it will be paid.\nMore.")
    assert article.author is None
    assert article.sentences[1].text == "By the end of the year, it will be paid."


def test_article_byline_glued_to_an_acronym_is_split() -> None:
    article = parse_article("Head\nby Ana de Souza | ReutersIOM said so on Monday.")
    assert (article.author, article.outlet) == ("Ana de Souza", "Reuters")
    assert article.sentences[1].text == "IOM said so on Monday."


@pytest.mark.parametrize("url", ["foo", "http://a b", "javascript:alert(1)", "ftp://x.org/a"])
def test_article_url_must_be_absolute_http(url: str) -> None:
    with pytest.raises(InputError, match=r"^--url .*not an absolute http\(s\) URL"):
        parse_url(url)


def test_article_empty_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"^x\.txt: empty file"):
        parse_article(" \n\r\n", Metadata(source_name="x.txt"))


def test_article_read_text_strips_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHead\nBody.\n".encode())

    assert parse_article(read_text(path)).headline == "Head"


BAD_FILES = [
    ("empty", b"", "empty file"),
    ("whitespace", b" \n\t\r\n", "empty file"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    ("latin-1", "Café\n".encode("latin-1"), "not UTF-8 text (invalid byte at offset 3)"),
]


@pytest.mark.parametrize(("name", "content", "problem"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_article_read_text_refuses_bad_files(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(content)

    with pytest.raises(InputError) as raised:
        read_text(path)

    assert str(raised.value).startswith(f"{path}: {problem}")
    assert "\n" not in str(raised.value)


def test_article_read_text_refuses_a_directory_a_missing_file_and_a_huge_one(
    tmp_path: Path,
) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)

    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="over the 5 MB limit"):
        read_text(huge)


@pytest.mark.parametrize(
    "value", ["2024-13-45", "yesterday", "2024-2-1", "18/11/2024", " 2024-11-18"]
)
def test_article_parse_date_refuses_what_is_not_yyyy_mm_dd(value: str) -> None:
    with pytest.raises(InputError, match=r"^--date .*: not a valid date, expected YYYY-MM-DD$"):
        parse_date(value)


def test_article_parse_date() -> None:
    assert parse_date("2024-11-18") == date(2024, 11, 18)
    assert parse_date(None) is None
    with pytest.raises(InputError, match=r"^--date '': empty"):
        parse_date("")  # a date left blank by mistake is said, not dropped


# --- layouts: what is metadata, not story (issue 9) ----------------------------------------


def test_article_wire_copy_dateline_stays_in_its_sentence_and_credits_are_metadata() -> None:
    text = (
        "Chile to fund Peru border posts\n"
        "LIMA, March 3 (Coastline Wire) - Chile will pay Peru $5 million for border posts.\n"
        "Officials said talks would go on.\n"
        "(Reporting by Ana Ruiz in Lima and Tom Hale in Santiago; Editing by Joe Bloggs)\n"
    )

    article = parse_article(text)

    assert article.author == "Ana Ruiz and Tom Hale"  # the reporters, not the editor
    assert article.sentences[1].text.startswith("LIMA, March 3 (Coastline Wire) - Chile")
    assert article.dateline is not None
    assert article.text[slice(*article.dateline)] == "LIMA, March 3 (Coastline Wire) - "
    assert "Reporting by" not in article.text and "Bloggs" not in article.text
    assert_offsets_hold(article)


def test_article_wire_story_with_no_headline_opens_on_its_dateline() -> None:
    text = (
        "LIMA, March 3 (Coastline Wire) - Chile will pay Peru $5 million. The deal was signed"
        " on Friday.\n"
        "Officials said talks would go on.\n"
    )

    article = parse_article(text)

    assert [s.text for s in article.sentences[:2]] == [
        "LIMA, March 3 (Coastline Wire) - Chile will pay Peru $5 million.",
        "The deal was signed on Friday.",
    ]
    assert article.text[slice(*article.dateline)] == "LIMA, March 3 (Coastline Wire) - "  # type: ignore[misc]
    assert_offsets_hold(article)


def test_article_agency_byline_on_two_lines_then_a_dateline() -> None:
    text = (
        "Senate backs border pact\nBy JANE ROE\nContinental Press\n"
        "WASHINGTON (CP) — The Senate approved the pact on Monday.\nIt now goes to the House.\n"
    )

    article = parse_article(text)

    assert (article.author, article.outlet) == ("Jane Roe", "Continental Press")
    assert [s.text for s in article.sentences][1:] == [
        "WASHINGTON (CP) — The Senate approved the pact on Monday.",
        "It now goes to the House.",
    ]
    assert article.text[slice(*article.dateline)] == "WASHINGTON (CP) — "  # type: ignore[misc]


def test_article_press_release_header_and_dateline_line_are_metadata() -> None:
    text = (
        "Ministry of Examples - Press release\n"
        "Ministers sign a compact with Ruritania\n"
        "Strelsau, 4 June 2021\n"
        "The ministry today announced a compact with Ruritania.\n"
    )

    article = parse_article(text)

    assert article.headline == "Ministers sign a compact with Ruritania"
    assert article.outlet == "Ministry of Examples"
    assert article.published == date(2021, 6, 4)  # read from the dateline line
    assert [s.text for s in article.sentences] == [
        "Ministers sign a compact with Ruritania",
        "The ministry today announced a compact with Ruritania.",
    ]
    assert article.dateline is None


def test_article_given_date_wins_over_the_dateline_line() -> None:
    text = "Statement - Friends of the Earthworm\nHeadline\nParis, Jan. 4, 2024\nBody text.\n"

    article = parse_article(text, Metadata(published=date(2024, 1, 5)))

    assert (article.outlet, article.published) == ("Friends of the Earthworm", date(2024, 1, 5))


@pytest.mark.parametrize(
    "front",
    [
        "From: Department of Examples and The Rt Hon Jo Bloggs MP\nPublished 13 December 2022\n",
        # as copied from the page: each label on a line of its own
        "From:\nDepartment of Examples and The Rt Hon Jo Bloggs MP\nPublished\n13 December 2022\n",
    ],
    ids=["one-line", "as-copied"],
)
def test_article_gov_uk_front_matter_is_metadata(front: str) -> None:
    text = (
        "Press release\nNew returns partnership agreed\nA summary of the news.\n"
        f"{front}The department today announced a partnership.\n"
    )

    article = parse_article(text)

    assert article.headline == "New returns partnership agreed"
    assert article.published == date(2022, 12, 13)
    assert "From:" not in article.text and "Published" not in article.text
    assert [s.text for s in article.sentences if s.part == "body"] == [
        "The department today announced a partnership."
    ]


def test_article_a_lone_from_line_takes_only_the_issuers_not_the_date_or_the_body() -> None:
    article = parse_article(
        "A headline\nFrom:\nDepartment of Examples\nPublished 14 April 2022\n"
        "The department signed a deal.\nIt starts in May.\n"
    )

    assert article.published == date(2022, 4, 14)
    assert [s.text for s in article.sentences if s.part == "body"] == [
        "The department signed a deal.",
        "It starts in May.",
    ]


def test_article_op_ed_author_alone_under_the_headline_and_a_job_title_in_a_byline() -> None:
    op_ed = parse_article("Opinion | Deals never work\nMaria Okafor\nEvery few years it fails.\n")
    column = parse_article("Head\nBy Li Wei, Economics Editor\nMoney moves quietly.\n")

    assert (op_ed.author, op_ed.headline) == ("Maria Okafor", "Opinion | Deals never work")
    assert [s.text for s in op_ed.sentences][1:] == ["Every few years it fails."]
    assert (column.author, column.outlet) == ("Li Wei", None)
    one_line_body = parse_article("Head\nMaria Okafor\n")
    assert one_line_body.author is None  # a name with nothing after it is the story


def test_article_key_is_hashed_once_however_often_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hashlib

    calls = []
    real = hashlib.sha256

    def counting(data: bytes = b"") -> Any:
        calls.append(len(data))
        return real(data)

    article = parse_article("Head\n\n" + "A sentence about a deal. " * 2000)
    monkeypatch.setattr(hashlib, "sha256", counting)

    keys = {article.key for _ in range(500)}  # one per evidence node of a long article

    assert len(keys) == 1
    assert len(calls) == 1


def test_article_a_paragraph_with_no_full_stop_reaches_the_segmenter_in_bounded_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import graph.article as article_module

    given: list[int] = []
    real = article_module._segmenter()

    class Recording:
        def segment(self, text: str) -> Any:
            given.append(len(text))
            return real.segment(text)

    monkeypatch.setattr(article_module, "_segmenter", lambda: Recording())
    words = "the ministers of Chile and Peru met again to talk about a border deal and money "
    text = "Head\n" + words * 3000 + "It ended. Then they left."  # 240,000 characters

    article = parse_article(text)

    assert max(given) <= article_module.SEGMENT_CHARS  # never the whole paragraph at once
    body = [s for s in article.sentences if s.part == "body"]
    assert all(article.text[s.start : s.end] == s.text for s in body)
    assert "".join(s.text for s in body).replace(" ", "") == (
        (words * 3000 + "It ended. Then they left.").replace(" ", "")
    )
    assert body[-1].text == "Then they left."


def test_article_no_sentence_opens_on_a_comma_after_an_abbreviation() -> None:
    text = 'Sen. Ada Lopez, D-Calif., called it "cruel." The deal was signed on Friday.'

    spans = split_sentences(text)

    assert [text[a:b] for a, b in spans] == [
        'Sen. Ada Lopez, D-Calif., called it "cruel."',
        "The deal was signed on Friday.",
    ]

"""The loader: positions, and every YAML pitfall turned into one clear problem."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from blueprint_cli.load import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Limits,
    LoadError,
    load_bytes,
    parse,
)
from blueprint_cli.load.scalars import resolve12, same
from blueprint_cli.positions import Span
from tests.conftest import dedent


def error_of(raw: bytes | str) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_bytes(raw.encode() if isinstance(raw, str) else raw)
    return info.value


def test_positions_of_keys_and_values() -> None:
    loaded = parse(
        dedent(
            """
            blueprint: 1
            steps:
              - id: check-in
                evidence: [Desk, "Key card"]
            """
        )
    )
    src = loaded.source
    assert src.value(("blueprint",)) == Span(1, 12)
    assert src.key(("steps",)) == Span(2, 1)
    assert src.value(("steps", 0)) == Span(3, 5)
    assert src.key(("steps", 0, "evidence")) == Span(4, 5)
    assert src.value(("steps", 0, "evidence", 1)) == Span(4, 22)
    # a path with no entry of its own falls back to its nearest ancestor
    assert src.value(("steps", 0, "evidence", 1, "text")) == Span(4, 22)


def test_crlf_positions_are_right() -> None:
    loaded = parse("a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
    assert loaded.data == {"a": 1, "b": ["x", "y"]}
    assert loaded.source.value(("b", 1)) == Span(4, 5)


def test_utf8_bom_is_accepted() -> None:
    assert load_bytes(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


def test_unicode_columns_count_characters() -> None:
    loaded = parse("titel: Überprüfung\nx: [é, ü]\n")
    assert loaded.source.value(("x", 1)) == Span(2, 8)


def test_duplicate_keys_are_reported_and_the_first_kept() -> None:
    loaded = parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert loaded.data == {"a": 1, "b": {"c": 1}}
    assert [(p.code, p.span) for p in loaded.problems] == [
        ("BP004", Span(4, 3)),
        ("BP004", Span(5, 1)),
    ]
    assert "first defined at line 3" in loaded.problems[0].message


def test_a_dropped_duplicate_moves_no_position() -> None:
    """The dropped value's nodes are filed apart: even a key named like a made-up one
    keeps its own positions."""
    text = "a:\n  x: 1\na:\n  y: [2]\n'<duplicate 1>':\n  z: 3\nb: 4\n"
    loaded = parse(text)
    assert loaded.data == {"a": {"x": 1}, "<duplicate 1>": {"z": 3}, "b": 4}
    assert [(p.code, p.span) for p in loaded.problems] == [("BP004", Span(3, 1))]
    assert loaded.source.value(("a", "x")) == Span(2, 6)
    assert loaded.source.value(("<duplicate 1>", "z")) == Span(6, 6)
    assert loaded.source.key(("b",)) == Span(7, 1)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("no", "the boolean false"),
        ("on", "the boolean true"),
        ("1_000", "a number"),
        ("12:30", "a number (base 60)"),
        ("010", "a number (octal)"),
    ],
)
def test_yaml11_surprises_stay_text_with_a_warning(text: str, reading: str) -> None:
    loaded = parse(f"title: {text}\n")
    assert loaded.data == {"title": text}
    [problem] = loaded.problems
    assert problem.code == "BP007"
    assert reading in problem.message
    assert problem.span == Span(1, 8)


@pytest.mark.parametrize("text", ["0o10", "1e5"])
def test_numbers_only_yaml12_reads_stay_text(text: str) -> None:
    loaded = parse(f"x: {text}\n")
    assert loaded.data == {"x": text}
    assert [p.code for p in loaded.problems] == ["BP007"]


def test_plain_scalars_are_yaml12() -> None:
    loaded = parse("a: true\nb: ~\nc: 3\nd: 1.10\ne: '3'\nf: 2024-01-01\ng: .inf\n")
    data = loaded.data
    assert data["a"] is True and data["b"] is None and data["c"] == 3
    assert data["d"] == 1.1 and data["d"].source == "1.10"
    assert data["e"] == "3" and data["f"] == "2024-01-01" and data["g"] == float("inf")
    # a date to YAML 1.1 readers (PyYAML): text here, with BP007 saying so
    assert [(p.code, p.path) for p in loaded.problems] == [("BP007", ("f",))]
    assert "read it as a date" in loaded.problems[0].message


def test_aliases_and_merge_keys() -> None:
    loaded = parse("a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  z: 1\n")
    assert loaded.data == {"a": {"k": "v"}, "b": {"k": "v"}, "c": {"k": "v", "z": 1}}
    assert loaded.source.key(("c", "k")) == Span(4, 3)


def test_alias_bomb_is_stopped_before_expansion() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    err = error_of("\n".join(lines))
    assert err.code == "BP001"
    assert f"{MAX_ALIAS_NODES:,}" in err.message


@pytest.mark.parametrize("text", ["[" * 60_000, "- " * 20_000 + "x", "{a: " * 5_000])
def test_deep_nesting_is_stopped(text: str) -> None:
    err = error_of(text)
    assert f"deeper than {MAX_DEPTH}" in err.message
    assert "max-depth" in err.message
    assert err.span.line == 1


@pytest.mark.parametrize(
    ("text", "span"),
    [("[" * 60_000, Span(1, MAX_DEPTH + 1)), ("a:\n  b: " + "[" * 60_000, Span(2, MAX_DEPTH + 4))],
)
def test_deep_flow_nesting_is_stopped_where_max_depth_is_crossed(text: str, span: Span) -> None:
    # libyaml >= 0.2.6 stops at 1,000 levels itself, while scanning ahead; the loader
    # reports the same message and position whichever libyaml parses the file
    err = error_of(text)
    assert err.code == "BP001"
    assert err.message == f"nesting deeper than {MAX_DEPTH} levels (the limit: max-depth)"
    assert err.span == span


def _libyaml_limits_nesting() -> bool:
    try:
        yaml.load("[" * 1_001 + "]" * 1_001, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return True
    return False


def test_nesting_past_the_parsers_own_limit() -> None:
    # max-depth above libyaml's own limit (0.2.6+): that limit is named, not max-depth's
    with pytest.raises(LoadError) as info:
        parse("[" * 60_000, Limits(max_depth=5_000))
    if _libyaml_limits_nesting():
        assert "deeper than 1000 levels (the YAML parser's own limit" in info.value.message
    else:
        assert info.value.message == "nesting deeper than 5000 levels (the limit: max-depth)"
    assert info.value.span.line == 1


def test_recursive_alias_is_an_error() -> None:
    err = error_of("a: &x [1, *x]\n")
    assert "*x" in err.message


def test_tab_indentation() -> None:
    err = error_of("a:\n\t- b\n")
    assert err.span == Span(2, 1)
    assert "tab" in err.message


def test_several_documents() -> None:
    err = error_of("a: 1\n---\nb: 2\n")
    assert err.span == Span(2, 1)
    assert "several documents" in err.message


def test_syntax_error_has_position() -> None:
    err = error_of("a: [1, 2\nb: 3\n")
    assert err.code == "BP001"
    assert err.span.line == 2
    assert err.message.startswith("invalid YAML:")
    assert "<unicode string>" not in err.message


@pytest.mark.parametrize(
    ("raw", "span", "words"),
    [
        (b"\xff\xfea\x00:\x00", Span(1, 1), "UTF-16"),
        (b"a: 1\nb: caf\xe9\n", Span(2, 7), "invalid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Span(3, 1), "binary"),
        (b"a: \x1b[31mred\n", Span(1, 4), "control characters"),
    ],
)
def test_not_utf8_text(raw: bytes, span: Span, words: str) -> None:
    err = error_of(raw)
    assert err.span == span
    assert words in err.message


def test_unsafe_tags_are_refused() -> None:
    err = error_of("a: !!python/object/apply:os.system [echo hi]\n")
    assert "unsupported tag '!!python/object/apply:os.system'" in err.message
    assert error_of("a: !custom x\n").span == Span(1, 4)


def test_standard_tags_are_kept() -> None:
    assert parse("a: !!str 12\nb: !!int '3'\n").data == {"a": "12", "b": 3}


def test_complex_keys_are_refused() -> None:
    assert "mapping key must be text" in error_of("? [a, b]\n: 1\n").message


def test_file_size_limit() -> None:
    err = error_of(b"#" * (MAX_FILE_BYTES + 1))
    assert "limit" in err.message


def test_empty_and_comment_only_files_load_as_nothing() -> None:
    assert parse("").data is None
    assert parse("# just a comment\n").data is None


@given(st.from_regex(r"[+-]?[0-9_]{1,12}(\.[0-9]*)?", fullmatch=True))
def test_plain_numbers_read_the_same_on_the_fast_path(text: str) -> None:
    """Plain decimals skip the regexes; everything else takes them; both agree."""
    loaded = parse(f"a: {text}\n")
    value = loaded.data["a"]
    expected = resolve12(text)
    if same(expected, text):
        assert value == expected or (value != value and expected != expected)  # NaN-safe
        assert not loaded.problems
    else:
        assert value == text and [p.code for p in loaded.problems] == ["BP007"]


def test_numbers_too_long_to_convert_are_text_not_a_crash() -> None:
    """Python refuses ints of more than 4,300 digits; formatting a huge int as a float
    overflows: both once raised out of the loader."""
    long_int = parse("a: " + "1" * 5000 + "\n")
    assert long_int.data["a"] == "1" * 5000
    huge_octal = parse("a: 0o" + "7" * 300 + "\n")  # 1.2: a number; 1.1: text
    assert huge_octal.data["a"] == "0o" + "7" * 300
    assert "is ambiguous: YAML 1.2 reads the number 8" in huge_octal.problems[0].message


def test_a_quoted_merge_key_is_an_ordinary_key_with_its_own_positions() -> None:
    loaded = parse("'<<': {z: 1}\n<<: {a: 1}\n<<: {a: 2}\n")
    assert loaded.data == {"<<": {"z": 1}, "a": 1}
    assert not loaded.problems  # two merges giving 'a' are not a duplicate key
    assert loaded.source.value(("<<", "z")) == Span(1, 11)
    assert loaded.source.value(("a",)) == Span(2, 1)

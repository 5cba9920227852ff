"""The streaming Bundle reader gives what `json.load` would, at any chunk size, refuses what is
not a Bundle or Patient with a plain reason, and keeps memory flat on a large bundle."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.errors import ValidationError
from clinic_desk.services.bundle_stream import bundle_resources
from clinic_desk.services.import_files import open_source
from tests.services.test_import_samples import FILES


def reference(document: Any) -> list[tuple[int, dict[str, Any]]]:
    """What the reader must give, worked out from the whole document."""
    if document.get("resourceType") == "Patient":
        return [(1, document)]
    entries = document.get("entry")
    return [
        (number, entry["resource"])
        for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1)
        if isinstance(entry, dict)
        and isinstance(entry.get("resource"), dict)
        and entry["resource"].get("resourceType") == "Patient"
    ]


def patient(n: int) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": f"p{n}", "name": [{"family": "Ñúñez", "given": ["Ana"]}]}


def bundle(entries: list[Any], **extra: Any) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", **extra, "entry": entries}


def write(path: Path, document: Any, *, indent: int | None = None) -> Path:
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_every_chunk_size_reads_the_same(tmp_path: Path, chunk: int, indent: int | None) -> None:
    document = bundle(
        [
            {"resource": {"resourceType": "Encounter"}},
            {"resource": patient(1)},
            {"fullUrl": "x"},
            {"resource": patient(2)},
            7,
            {"resource": "text"},
        ],
        total=1234567890,
        meta={"tag": [1.5e10, -3, True, None]},
    )
    file = write(tmp_path / "b.json", document, indent=indent)
    assert list(bundle_resources(file, chunk=chunk)) == reference(document)
    assert [n for n, _ in reference(document)] == [2, 4]


def test_one_patient_document_and_keys_in_any_order(tmp_path: Path) -> None:
    alone = write(tmp_path / "p.json", patient(9), indent=1)
    assert list(bundle_resources(alone, chunk=5)) == [(1, patient(9))]
    late_type = {"entry": [{"resource": patient(1)}], "type": "batch", "resourceType": "Bundle"}
    assert list(bundle_resources(write(tmp_path / "late.json", late_type), chunk=4)) == [(1, patient(1))]
    for empty in (bundle([]), {"resourceType": "Bundle"}, bundle({"resource": patient(1)})):  # type: ignore[arg-type]
        assert list(bundle_resources(write(tmp_path / "e.json", empty), chunk=3)) == []


def test_a_bom_and_surrounding_white_space_are_fine(tmp_path: Path) -> None:
    file = tmp_path / "bom.json"
    file.write_bytes(b"\xef\xbb\xbf\n  " + json.dumps(bundle([{"resource": patient(1)}])).encode() + b"\n\n")
    assert list(bundle_resources(file, chunk=2)) == [(1, patient(1))]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "could not be read as JSON"),
        (
            '{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}',
            "could not be read",
        ),
        ('{"resourceType": "Bundle", "entry": [{"resource": {}} {"resource": {}}]}', "could not be read"),
        ('{"resourceType": "Bundle", "entry": []} {"more": 1}', "could not be read"),
        ('{"resourceType": "Bundle", "entry": [], }', "could not be read"),
        ("{'resourceType': 'Bundle'}", "could not be read"),
        ('{"resourceType": "Observation", "status": "final"}', "not a FHIR Bundle or Patient"),
        ('[{"resourceType": "Patient"}]', "not a FHIR Bundle or Patient"),
        ('"Bundle"', "not a FHIR Bundle or Patient"),
        ("not json at all", "could not be read as JSON"),
    ],
)
def test_what_is_not_a_bundle_is_refused_plainly(tmp_path: Path, text: str, words: str) -> None:
    file = tmp_path / "bad.json"
    file.write_text(text, encoding="utf-8")
    for chunk in (1, 4, 1 << 20):
        with pytest.raises(ValidationError, match=words):
            list(bundle_resources(file, chunk=chunk))


def test_bytes_that_are_not_utf8_are_refused_plainly(tmp_path: Path) -> None:
    file = tmp_path / "latin.json"
    file.write_bytes(b'{"resourceType": "Patient", "name": [{"family": "N\xfa\xf1ez"}]}')
    with pytest.raises(ValidationError, match="could not be read as JSON"):
        list(bundle_resources(file))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
ENTRIES = st.lists(
    st.one_of(
        JSON_VALUES,
        st.builds(lambda r: {"resource": r}, st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3)),
        st.builds(
            lambda extra: {"resource": {**extra, "resourceType": "Patient"}},
            st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3),
        ),
    ),
    max_size=6,
)


@given(
    entries=ENTRIES,
    extra=st.dictionaries(st.sampled_from(["total", "meta", "id", "link"]), JSON_VALUES, max_size=3),
    chunk=st.integers(min_value=1, max_value=40),
    indent=st.sampled_from([None, 0, 3]),
)
def test_any_bundle_reads_as_json_load_would(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list[Any],
    extra: dict[str, Any],
    chunk: int,
    indent: int | None,
) -> None:
    document = bundle(entries, **extra)
    file = write(tmp_path_factory.mktemp("h") / "b.json", document, indent=indent)
    assert list(bundle_resources(file, chunk=chunk)) == reference(json.loads(file.read_text("utf-8")))


@pytest.mark.skipif(not FILES, reason="the shared import samples are not next to the project")
def test_every_public_sample_bundle_reads_as_json_load_would() -> None:
    bundles = [f for f in FILES if f.suffix == ".json"]
    assert len(bundles) > 20
    for file in bundles:
        document = json.loads(file.read_text("utf-8-sig"))
        if document.get("resourceType") not in ("Bundle", "Patient"):
            continue
        assert list(bundle_resources(file, chunk=4096)) == reference(document), file.name


def test_a_large_bundle_is_read_in_flat_memory(tmp_path: Path) -> None:
    """30,000 entries (about 12 MB of JSON): the reader holds a few entries, not the document."""
    file = tmp_path / "big.json"
    with file.open("w", encoding="utf-8") as out:
        out.write('{"resourceType": "Bundle", "type": "collection", "entry": [')
        for n in range(30_000):
            out.write(
                ("," if n else "")
                + json.dumps({"fullUrl": f"urn:{n}", "resource": {**patient(n), "note": "x" * 300}})
            )
        out.write("]}")
    size = file.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in bundle_resources(file, chunk=1 << 16))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        # The import's own way in: the format is told from a bounded look at the first line
        # (this bundle is one line), the rows counted, then read.
        source = open_source(file)
        rows = sum(1 for _ in source.rows())
        import_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (source.format, source.total, rows) == ("fhir-bundle", 30_000, 30_000)
    # What is held is the reading window (1 MB chunks) and one entry, whatever the file's size.
    assert import_peak < 10_000_000, f"peak {import_peak:,} bytes opening and reading a {size:,}-byte file"
    assert count == 30_000
    assert size > 10_000_000
    assert peak < size / 20, f"peak {peak:,} bytes for a {size:,}-byte file"

"""The meeting pack as PDF (issue 18), on DuckDB and PostgreSQL: the text pypdf extracts holds
every section heading and the cover numbers as ``report`` gives them; every font is embedded
(checked in the PDF's own font resources, and with pdffonts where poppler is installed);
a page is rendered to PNG under test-artifacts/ for a person to look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from analytics.pack.pdf import shown
from tests.pack_world import make, pack_world_fixture, report  # noqa: F401 (fixture)
from ui.catalogue import label

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def director_pdf(pack_world):
    built = make(pack_world, pack_world["users"]["director"], "pdf")
    return built, PdfReader(io.BytesIO(built.content))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_headings_and_cover_numbers(director_pdf, pack_world, capsys):
    built, reader = director_pdf
    text = text_of(reader)
    assert built.content.startswith(b"%PDF")
    for section in built.pack.sections:
        assert section.title in text, section.key
    user = pack_world["users"]["director"]
    overview = report(capsys, pack_world, "overview", user)[0]
    forecast = next(r for r in report(capsys, pack_world, "forecast", user) if r["level"] == "overall")
    expected = [
        shown(overview["actual_ytd"], "money_wan"), shown(overview["attainment"], "percent"),
        shown(overview["period_progress"], "percent"), shown(overview["open_value"], "money_wan"),
        shown(overview["open_count"], "int"), shown(overview["problem_count"], "int"),
        shown(forecast["p10"], "money_wan"), shown(forecast["p50"], "money_wan"),
        shown(forecast["p90"], "money_wan"), shown(forecast["gap"], "money_wan"),
    ]  # fmt: skip
    cover = reader.pages[0].extract_text()
    for value in expected:
        assert value in cover, value
    for key in ("actual_ytd", "attainment", "fc_p50", "open_value", "pk_recipient"):
        assert label(key) in cover, key
    assert label("pk_page").format(page=1, pages=len(reader.pages)) in cover


def test_every_font_is_embedded(director_pdf, tmp_path):
    built, reader = director_pdf
    fonts = {}
    for page in reader.pages:
        for _name, ref in (page["/Resources"].get("/Font") or {}).items():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for base, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{base} is not embedded (no descriptor: a standard font)"
        descriptor = descriptor.get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
    if shutil.which("pdffonts"):
        path = tmp_path / "pack.pdf"
        path.write_bytes(built.content)
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = lines.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), lines  # the emb column


def test_a_page_rendered_to_png(director_pdf):
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils not installed (scripts/install_system_deps.sh installs it)")
    built, reader = director_pdf
    page = next(i for i, p in enumerate(reader.pages, 1) if label("pk_section_movement") in p.extract_text())
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / f"pack_page_{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", "-", str(stem)],
        input=built.content, check=True,
    )  # fmt: skip
    png = stem.with_suffix(".png")
    assert png.exists() and png.stat().st_size > 10_000


def test_data_text_is_escaped(pack_world):
    """Customer names such as '=HYPERLINK("…","点我")' print as written, not as markup."""
    built = make(pack_world, pack_world["users"]["director"], "pdf")
    text = text_of(PdfReader(io.BytesIO(built.content)))
    assert "@SUM(A1)" in text and "HYPERLINK" in text

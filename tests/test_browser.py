"""End to end: the sample ingested by the real CLI, the dashboard served by Streamlit, and
Debian's Chromium (driven by Playwright) reading it as a user would, offline."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from bench.render import CHROMIUM_ARGS, start_dashboard, stop

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
SAMPLE = ROOT / "samples" / "000_70e03d7c78804526.txt"
MELONI = ROOT / "tests" / "data" / "dev" / "dev05_eu_tunisia_2023.txt"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

pytestmark = [pytest.mark.browser, pytest.mark.model]

# Every wait is for a condition: an element, a text, the app at rest. This is only the ceiling
# on one wait, far above what any needs on an idle machine, so that a loaded CI machine (both
# cores busy) is slow, never failed.
PATIENCE_MS = 240_000


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Chromium is not installed: run `apt-get install -y chromium` (Debian)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample ingested with the real CLI, and the dashboard serving it on loopback."""
    _require_chromium()
    store = tmp_path_factory.mktemp("browser") / "store"
    cli = Path(sys.executable).with_name("policygraph")
    subprocess.run(
        [str(cli), "--store", str(store), "ingest", str(SAMPLE), "--date", "2024-11-18"],
        check=True,
        capture_output=True,
    )
    # a second article naming the Italian prime minister as it should be spelt: the sample
    # misspells her, so the Curation page has a probable merge to offer
    subprocess.run(
        [str(cli), "--store", str(store), "ingest", str(MELONI), "--date", "2023-07-16"],
        check=True,
        capture_output=True,
    )
    try:
        server, url = start_dashboard(store, ARTIFACTS / "dashboard.log", PATIENCE_MS / 1000)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield url
    finally:
        stop(server)


@pytest.fixture
def page(dashboard: str) -> Iterator[object]:
    """A Chromium page that refuses, and records, any request leaving the machine."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=list(CHROMIUM_ARGS),
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(PATIENCE_MS)
        context.set_default_navigation_timeout(PATIENCE_MS)

        def guard(route, request) -> None:  # type: ignore[no-untyped-def]
            host = urlparse(request.url).hostname or ""
            if request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
                route.continue_()
            else:
                outside.append(request.url)
                route.abort()

        context.route("**/*", guard)
        tab = context.new_page()
        yield tab
        browser.close()
    assert outside == [], f"requests left the machine: {outside}"


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    _at_rest(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _shown_text(page, text: str):  # type: ignore[no-untyped-def]
    """The first visible element holding ``text``. Data grids mirror their cells in a hidden
    table, so a bare text match may be a cell that never becomes visible."""
    return page.get_by_text(text, exact=False).filter(visible=True).first


def _at_rest(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app's script has finished its run (Streamlit marks its root element)
    and no element is left stale from an earlier run."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for()
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")


def test_browser_a_link_straight_to_a_page_opens_it_inside_the_app(page, dashboard):
    """The first request to a fresh server: a shared link to the actor page must still get
    the app's navigation (titled pages) and the actor, not a bare script."""
    page.goto(dashboard + "/actor?actor=country%2FTR")
    _shown_text(page, "Paid by").wait_for()
    _wait_for_grid(page, "United Kingdom")
    navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
    for title in ("Network", "Deals", "Map", "Actor", "SPARQL", "Ingest"):
        assert title in navigation
    assert "app" not in navigation.split()
    _shot(page, "actor-turkey")


def test_browser_network_page_shows_a_pays_link_and_its_evidence(page, dashboard):
    page.goto(dashboard)
    page.get_by_text("Who pays whom").wait_for()
    page.locator("iframe").first.wait_for()  # the cytoscape canvas
    _shot(page, "network-before")
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Details of")
    picker.click()
    page.keyboard.type("Turkey · pays")
    page.get_by_role("option").filter(has_text="United Kingdom → Turkey").first.click()
    evidence = _shown_text(page, "Such deals would see the UK pay Turkey")
    evidence.wait_for()
    for fact in ("negotiating", "multi-million pound", "prevent departures"):
        assert _shown_text(page, fact).count() > 0, fact
    evidence.scroll_into_view_if_needed()
    _shot(page, "network-pays-link")


def test_browser_sparql_page_finds_tunisia(page, dashboard):
    page.goto(dashboard + "/sparql")
    page.get_by_role("button", name="Run").wait_for()
    page.locator("[data-testid='stSelectbox']").filter(has_text="Example query").click()
    page.keyboard.type("who-pays")
    page.get_by_role("option").filter(has_text="who-pays-whom").first.click()
    # the editor holds the example before Run is pressed, or Run would send the old text
    editor = page.get_by_role("textbox", name="Query", exact=True)
    expect(editor).to_have_value(
        re.compile(r"SELECT DISTINCT \?payerLabel \?payeeLabel"), timeout=PATIENCE_MS
    )
    _at_rest(page)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("rows shown", exact=False).wait_for()
    _wait_for_grid(page, "Tunisia")
    _shot(page, "sparql")


def _wait_for_grid(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until a data grid on the page shows ``text`` (grids draw after their frame)."""
    page.wait_for_function(
        """text => [...document.querySelectorAll("[data-testid='stDataFrame'] table")]
            .some(table => table.innerText.includes(text))""",
        arg=text,
    )


def _grid_text(page) -> str:  # type: ignore[no-untyped-def]
    """The text of Streamlit's data grids (drawn on canvas, mirrored in an accessible table)."""
    return " ".join(page.locator("[data-testid='stDataFrame'] table").all_inner_texts())


def test_browser_deals_page_lists_the_five_deals(page, dashboard):
    page.goto(dashboard + "/deals")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    _wait_for_grid(page, "Libya")
    _shot(page, "deals")
    text = _grid_text(page)
    for name in ("Turkey", "Vietnam", "Kurdistan Region", "Tunisia", "Libya"):
        assert name in text


def test_browser_network_centrality_ranks_the_actors(page, dashboard):
    page.goto(dashboard)
    page.get_by_text("Who pays whom").wait_for()
    _at_rest(page)
    page.get_by_text("Centrality", exact=True).click()
    _wait_for_grid(page, "United Kingdom")
    _shot(page, "network-centrality")


def test_browser_map_draws_offline_with_the_payment_arcs(page, dashboard):
    page.goto(dashboard + "/map")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.locator("svg.marks").wait_for()
    # the country shapes come with the page: 170-odd countries drawn, nothing fetched
    assert chart.locator("g.mark-shape path").count() > 170
    chart.locator("g.mark-text text").filter(has_text="Turkey").first.wait_for()
    labels = chart.locator("g.mark-text text").evaluate_all("els => els.map(e => e.textContent)")
    assert "Turkey" in labels
    _shot(page, "map")
    _wait_for_grid(page, "United Kingdom → Turkey")


MARKUP_ARTICLE = (
    "Italy agrees to pay Tunisia <b>to stop boats</b>\n"
    "Italy will pay Tunisia 100 million euros to stop migrants leaving, officials said "
    "<script>alert('pwned')</script>.\n"
    "Human rights groups criticised the deal <img src=x onerror=alert('pwned')> on Monday.\n"
)


def test_browser_ingest_page_shows_markup_as_text_then_commits(page, dashboard):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(dashboard + "/ingest")
    page.get_by_label("Article text").wait_for()
    page.get_by_label("Article text").fill(MARKUP_ARTICLE)
    page.get_by_label("Date (YYYY-MM-DD)").fill("2024-12-01")
    _at_rest(page)
    page.get_by_role("button", name="Review").click()
    shown = page.locator("[data-testid='stHtml']").first
    shown.wait_for()  # the first review loads the language model
    assert "<script>alert('pwned')</script>" in shown.inner_text()
    assert "<img src=x onerror=alert('pwned')>" in shown.inner_text()
    assert shown.locator("script, img, b").count() == 0
    assert shown.locator("mark").count() > 0  # actors and the deal are highlighted
    _shot(page, "ingest-review")
    page.get_by_role("button", name="Commit").click()
    page.get_by_text("Wrote", exact=False).wait_for()
    _shot(page, "ingest-committed")

    page.goto(dashboard + "/deals")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Evidence for")
    picker.click()
    page.keyboard.type("Italy – Tunisia")
    page.get_by_role("option").filter(has_text="Italy – Tunisia").first.click()
    evidence = _shown_text(page, "alert('pwned')")
    evidence.wait_for()
    assert "<script>" in evidence.inner_text() or "<img" in evidence.inner_text()
    _shot(page, "deals-markup-evidence")
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []


def test_browser_curation_merges_the_two_melonis_then_the_deals_page_fixes_a_payee(page, dashboard):
    page.goto(dashboard + "/curation")
    page.get_by_text("Probable merges").wait_for()
    proposal = _shown_text(page, "Georgia Meloni")
    proposal.wait_for()
    assert _shown_text(page, "Giorgia Meloni").count() > 0
    _shot(page, "curation-proposal")
    page.get_by_role("button", name="Merge", exact=True).first.click()
    _shown_text(page, "merge-actors").wait_for()
    _wait_for_grid(page, "merge-actors")
    _shot(page, "curation-merged")

    page.goto(dashboard + "/deals")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Evidence for")
    picker.click()
    page.keyboard.type("United Kingdom – Iraq")
    page.get_by_role("option").filter(has_text="United Kingdom – Iraq").first.click()
    page.get_by_text("Correct…").click()
    page.get_by_role("tab", name="Roles").click()
    payees = page.locator("[data-testid='stMultiSelect']").filter(has_text="Payees").first
    payees.click()
    page.keyboard.type("Iraq")
    page.get_by_role("option").filter(has_text="Iraq").first.click()
    page.keyboard.press("Escape")
    _at_rest(page)
    page.get_by_role("button", name="Set roles").click()
    _shown_text(page, "set-payees United Kingdom – Iraq").wait_for()
    _wait_for_grid(page, "United Kingdom → Iraq")
    _shot(page, "deals-payee-fixed")


@pytest.fixture(autouse=True, scope="module")
def _clean_artifacts() -> None:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)

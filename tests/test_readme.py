"""The docs' table of models and prices says what the code does (docs/models-and-prices.md)."""

import re

from tests.conftest import ROOT
from voice_app.live import catalog as live_catalog
from voice_app.realtime import catalog, pricing

PAGE = ROOT / "docs" / "models-and-prices.md"


def _rows(heading: str) -> list[list[str]]:
    text = PAGE.read_text()
    start = text.index("|", text.index(heading))  # the first table at or after the heading
    table = text[start : text.index("\n\n", start)]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]
    return rows[2:]  # past the header and its rule


def _dollars(cell: str) -> list[float]:
    return [float(n) for n in re.findall(r"\$([\d.]+)", cell)]


def test_the_docs_list_every_model_offered_with_the_prices_the_code_uses():
    rows = {row[0].removesuffix(" (default)"): row for row in _rows("## Models, their shutdown dates")}
    assert set(rows) == {*catalog.MODELS, *catalog.TRANSCRIPTION_MODELS, *live_catalog.MODELS, *pricing.DELEGATE_PRICES}
    for model in catalog.MODELS:
        p = pricing.MODEL_PRICES[model]
        assert _dollars(rows[model][2]) == [p.text_in, p.cached_text_in, p.text_out], model
        assert _dollars(rows[model][3]) == [p.audio_in, p.cached_audio_in, p.audio_out], model
        assert rows[model][5].endswith(pricing.source(model).removeprefix("https://")), model
    for model in catalog.TRANSCRIPTION_MODELS:
        assert _dollars(rows[model][4]) == [pricing.TRANSCRIPTION_PER_MINUTE[model]], model
    for model in live_catalog.MODELS:
        prices = live_catalog.PRICES[model]
        assert _dollars(rows[model][4]) == [prices.active, prices.standby], model
        assert rows[model][5].endswith(live_catalog.PRICES_SOURCE.removeprefix("https://") + model), model
    for model, p in pricing.DELEGATE_PRICES.items():
        assert _dollars(rows[model][2]) == [p.text_in, p.cached_in, p.text_out] and _dollars(rows[model][1]) == [p.cache_write]
        assert rows[model][5].endswith(pricing.source(model).removeprefix("https://")), model
    assert f"read {pricing.CHECKED}" in PAGE.read_text()
    defaults = [name for name, row in rows.items() if "(default)" in row[0]]
    assert defaults == [catalog.DEFAULT_MODEL, catalog.DEFAULT_TRANSCRIPTION_MODEL, live_catalog.DEFAULT_MODEL]


def test_the_docs_give_each_retiring_models_date_and_successor():
    listed = {name: (row[1], row[2]) for row in _rows("| retiring |") for name in row[0].split(", ")}
    assert set(listed) == set(catalog.RETIREMENTS)
    for model, retirement in catalog.RETIREMENTS.items():
        when = retirement.shutdown.isoformat() if retirement.shutdown else "shut down"
        assert listed[model] == (when, retirement.successor), model

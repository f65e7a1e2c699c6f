"""Which settings and figures belong to which voice API (realtime/applies.py): the page shows the
chosen one's, so the table must name every setting, once, and hold what the code does."""

from dataclasses import fields, replace

import pytest

from voice_app.live import catalog as live_catalog
from voice_app.realtime import applies
from voice_app.realtime.insight import Insight
from voice_app.realtime.settings import SessionSettings


def test_every_setting_belongs_to_one_api_or_both():
    names = {f.name for f in fields(SessionSettings)}
    groups = (applies.LIVE_ONLY, applies.REALTIME_ONLY, applies.SHARED)
    assert set().union(*groups) == names
    assert sum(len(group) for group in groups) == len(names)  # none in two


@pytest.mark.parametrize("name", sorted(applies.LIVE_ONLY))
def test_gpt_live_settings_leave_the_realtime_session_as_it_is(name):
    other = {"live_model": live_catalog.MODELS[-1], "live_standby_s": 60}[name]
    base, changed = SessionSettings(), SessionSettings().with_changes(**{name: other})
    assert getattr(changed, name) != getattr(base, name)
    assert changed.client_secret_request() == base.client_secret_request()
    assert changed.session_update(voice=True) == base.session_update(voice=True)
    assert not applies.applies(name, "realtime") and applies.applies(name, "live")


def test_shared_settings_apply_to_both_and_engine_of_says_which():
    assert all(applies.applies(name, engine) for name in applies.SHARED for engine in ("realtime", "live"))
    assert applies.engine_of("turn_detection") == "realtime" and applies.engine_of("live_model") == "live"
    assert applies.engine_of("voice") == ""


def test_the_stored_prompt_is_said_not_taken_because_gpt_live_takes_none():
    assert not applies.applies("instructions_source", "live")
    stored = SessionSettings(instructions_source="stored_prompt", prompt_id="pmpt_1")
    assert "no stored prompt" in replace(stored, engine="live").not_taken and stored.not_taken == ""


def test_the_figures_named_are_figures_and_say_whose_call_they_count():
    keys = set(Insight().summary())
    assert applies.LIVE_ONLY_FIGURES | applies.REALTIME_ONLY_FIGURES <= keys
    assert applies.engine_of("live_minutes", figure=True) == "live"
    assert applies.engine_of("median_latency", figure=True) == "realtime" and applies.engine_of("cost", figure=True) == ""
    assert Insight().summary()["engine"] == ""
    assert Insight(model=live_catalog.DEFAULT_MODEL).summary()["engine"] == "live"
    assert Insight(model=SessionSettings().model).summary()["engine"] == "realtime"

"""The API facts the catalog writes once, checked against the `openai` package's docstrings, and
what follows from them where they are used."""

import inspect

import openai.types.live.media_session_config_param as live_config
import openai.types.realtime.realtime_audio_config_output_param as audio_output
import openai.types.realtime.realtime_audio_input_turn_detection_param as turn_detection
import pytest

from voice_app import config
from voice_app.live import catalog as live_catalog
from voice_app.realtime import catalog, heard, recording
from voice_app.realtime.session_options import SettingsError
from voice_app.realtime.settings import SessionSettings
from voice_app.service.safety import Policy
from voice_app.simulator.audio_schema import AudioOutput


def test_the_ranges_and_the_default_voice_are_the_packages():
    low, high = catalog.SPEED_RANGE
    assert f"{low} is the minimum speed. {high} is the maximum speed." in inspect.getsource(audio_output)
    assert "({:.1f} to {:.1f})".format(*catalog.VAD_THRESHOLD_RANGE) in inspect.getsource(turn_detection)
    assert f"Defaults to `{catalog.DEFAULT_VOICE}`" in inspect.getsource(live_config)
    assert catalog.DEFAULT_VOICE in catalog.VOICES and catalog.DEFAULT_VOICE in live_catalog.VOICES


@pytest.mark.parametrize("speed", [catalog.SPEED_RANGE[0] - 0.01, catalog.SPEED_RANGE[1] + 0.01])
def test_the_app_and_the_simulator_refuse_one_speed_range(speed):
    with pytest.raises(SettingsError):
        SessionSettings(speed=speed).checked()
    with pytest.raises(ValueError):
        AudioOutput(speed=speed)
    SessionSettings(speed=catalog.SPEED_RANGE[1]).checked()
    AudioOutput(speed=catalog.SPEED_RANGE[1])


def test_what_lasts_a_session_lasts_the_catalogs_session():
    assert live_catalog.SESSION_MAX_SECONDS == catalog.SESSION_MAX_SECONDS
    assert recording.PLAY_SECONDS == catalog.SESSION_MAX_SECONDS
    assert heard.played_ms(10**12) == catalog.SESSION_MAX_SECONDS * 1000
    longest = catalog.SESSION_MAX_SECONDS / 60  # the call-length limit goes no further
    assert Policy.from_config(config.load({"APP_MAX_CALL_MINUTES": f"{longest}"})).max_call_minutes == longest
    with pytest.raises(SystemExit, match="APP_MAX_CALL_MINUTES"):
        config.load({"APP_MAX_CALL_MINUTES": f"{longest + 0.1}"})

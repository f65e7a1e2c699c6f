"""The settings read at start (voice_app/config.py): defaults, ranges, one line for a bad value, the docs' table."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voice_app.config import Config, load, table
from voice_app.realtime import catalog

ROOT = Path(__file__).resolve().parents[1]
# Every number the operator sets, and values it must refuse: not a number, below, above its range.
BAD = {
    "APP_OPENAI_TIMEOUT_S": ["abc", "0.5", "61", "nan"],
    "APP_MAX_CALL_MINUTES": ["abc", "0", "600", "inf"],
    "APP_WRONG_CODES_PER_MINUTE": ["lots", "-1", "2.5"],
    "APP_MINTS_PER_CLIENT_PER_HOUR": ["x", "-1"],
    "APP_MINTS_PER_MINUTE": ["x", "-1"],
    "APP_MAX_CONCURRENT_CALLS": ["x", "-1"],
    "APP_MAX_CALLS_PER_CLIENT": ["many", "-1"],
    "APP_MAX_CALLS_PER_ADDRESS": ["x", "-1"],
    "APP_MEMORY_TOKENS": ["lots", "-5"],
    "APP_RECORDINGS_MAX_MB": ["x", "-1"],
    "GRANIAN_WORKERS": ["two", "0"],
    "REFLEX_TRUSTED_PROXY_HOPS": ["x", "-1"],
    "VOICE_SIMULATOR_FAULTS": ["maybe"],
    "VOICE_SIMULATOR_SPEECH": ["off please"],
    "OPENAI_BASE_URL": ["api.openai.com/v1"],
}


def test_every_number_the_operator_sets_is_checked_here():
    numbers = {
        name.upper()
        for name, info in Config.model_fields.items()
        if {int, float, bool} & set(getattr(info.annotation, "__args__", (info.annotation,)))
    }
    assert numbers | {"OPENAI_BASE_URL"} == set(BAD)


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in BAD.items() for value in values])
def test_a_bad_value_stops_the_start_naming_the_variable_and_what_it_takes(name, value):
    with pytest.raises(SystemExit) as stopped:
        load({name: value})
    message = str(stopped.value.code)
    assert message.startswith(f"Configuration error: {name}={value!r} is not accepted: it takes ")
    assert "\n" not in message


def test_the_ranges_are_said_in_words():
    with pytest.raises(SystemExit, match="APP_MAX_CALL_MINUTES='abc' is not accepted: it takes a number from 0.1 to 60"):
        load({"APP_MAX_CALL_MINUTES": "abc"})
    with pytest.raises(SystemExit, match="APP_MEMORY_TOKENS='-5' is not accepted: it takes a whole number, at least 0"):
        load({"APP_MEMORY_TOKENS": "-5"})
    with pytest.raises(SystemExit, match="OPENAI_BASE_URL='ftp://x' is not accepted: it takes an http.s. address"):
        load({"OPENAI_BASE_URL": "ftp://x"})


def test_every_wrong_variable_is_named_at_once():
    with pytest.raises(SystemExit, match=r"APP_MINTS_PER_MINUTE='x' .*; APP_MAX_CALLS_PER_CLIENT='-1' "):
        load({"APP_MINTS_PER_MINUTE": "x", "APP_MAX_CALLS_PER_CLIENT": "-1"})


def test_the_mcp_configuration_keeps_its_own_messages(tmp_path):
    with pytest.raises(SystemExit, match="^Configuration error: APP_MCP_SERVERS is not valid JSON"):
        load({"APP_MCP_SERVERS": '[{"label": "x", "headers": {"Authorization": "Bearer tok'})
    with pytest.raises(SystemExit, match="MCP server 'x': url must be an http"):
        load({"APP_MCP_SERVERS": '[{"label": "x", "url": "nope"}]'})
    with pytest.raises(SystemExit, match="APP_MCP_SERVERS_FILE cannot be read"):
        load({"APP_MCP_SERVERS_FILE": str(tmp_path / "none.json")})
    servers = load({"APP_MCP_SERVERS": json.dumps([{"label": "docs", "url": "http://127.0.0.1:9/mcp"}])}).mcp_servers
    assert [server.label for server in servers] == ["docs"]


def test_defaults_are_unchanged():
    config = load({})
    assert (config.app_openai_timeout_s, config.app_max_call_minutes, config.app_memory_tokens) == (15, 30, 8000)
    assert (config.app_mints_per_client_per_hour, config.app_mints_per_minute, config.app_wrong_codes_per_minute) == (30, 60, 20)
    assert (config.app_max_concurrent_calls, config.app_max_calls_per_client, config.app_max_calls_per_address) == (25, 3, 10)
    assert (config.app_recordings_dir, config.app_recordings_max_mb, config.app_recording_secret) == (
        Path("recordings"),
        10_000,
        "",
    )
    assert (config.openai_api_key, config.openai_base_url, config.app_access_code) == ("", catalog.DEFAULT_BASE_URL, "")
    assert (config.mcp_servers, config.voice_simulator_faults, config.granian_workers) == ((), False, None)


def test_values_are_trimmed_an_empty_one_is_unset_and_secrets_stay_out_of_repr():
    config = load(
        {
            "OPENAI_API_KEY": " sk-1 ",
            "OPENAI_BASE_URL": "https://example.test/v1/",
            "APP_ACCESS_CODE": " pw ",
            "APP_MAX_CALL_MINUTES": "0.25",
            "APP_MEMORY_TOKENS": "",
            "VOICE_SIMULATOR_FAULTS": "1",
        }
    )
    assert (config.openai_api_key, config.openai_base_url, config.app_access_code) == ("sk-1", "https://example.test/v1", "pw")
    assert (config.app_max_call_minutes, config.app_memory_tokens, config.voice_simulator_faults) == (0.25, 8000, True)
    assert "sk-1" not in repr(config) and "pw" not in repr(config)


def test_the_process_environment_reads_as_a_mapping_does(monkeypatch):
    monkeypatch.setenv("APP_MAX_CALLS_PER_ADDRESS", "7")
    monkeypatch.setenv("APP_MEMORY_TOKENS", "")
    assert Config() == Config.from_environ(os.environ) and Config().app_max_calls_per_address == 7


def run(*argv: str, **variables: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **variables}
    return subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_a_backend_with_a_bad_value_exits_with_one_line_and_no_traceback():
    done = run("-c", "import voice_app.service.backend", APP_MAX_CALL_MINUTES="abc")  # what `reflex run` imports
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "Configuration error: APP_MAX_CALL_MINUTES='abc' is not accepted: it takes a number from 0.1 to 60"
    )


def test_the_docs_table_is_the_generated_one():
    generated = run("-m", "voice_app.config")
    assert generated.returncode == 0 and generated.stdout.strip() == table()
    page = (ROOT / "docs" / "configuration.md").read_text()
    section = page.split("\n## Environment variables\n", 1)[1]
    shown = "\n".join(line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|"))
    assert shown == table(), "regenerate it: .venv/bin/python -m voice_app.config"

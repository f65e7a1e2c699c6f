"""What the page tells about a conversation: tokens, cost, and how fast it answers. Pure.

Events carry `received_ms` (stamped by the browser as they arrive, in ms since Connect was
pressed), so latencies are measured where the user is, not after batching.
"""

import math
import statistics
from dataclasses import dataclass, field

from voice_app.live import catalog as live_catalog
from voice_app.live.translate import CREATED, DELEGATED, USAGE
from voice_app.realtime import pricing
from voice_app.realtime.events import ServerEvent as E

TURNS_KEPT = 50


@dataclass
class Insight:
    model: str = ""
    transcription_model: str = ""
    input_tokens: int = 0
    cached_tokens: int = 0
    output_tokens: int = 0
    audio_tokens: int = 0  # of input and output together
    image_tokens: int = 0  # the images the user showed, each counted again in every response's input
    responses: int = 0
    live_seconds: int = 0  # GPT-Live: billed by the second, not by the token
    cost: float = 0.0
    connect_ms: int | None = None
    turn_latencies_ms: list[int] = field(default_factory=list)
    _speech_stopped_ms: int | None = None
    _live_seen: tuple[float, float] = (0.0, 0.0)  # this session's (active, paused) seconds so far
    _live_created: bool = False  # a GPT-Live session was created: its startup seconds are billed
    _live_charged: float = 0.0  # dollars of this session's seconds already in `cost`

    def apply(self, event: dict) -> bool:
        """Fold one event in; say whether anything shown changed."""
        kind = event.get("type")
        handler = _HANDLERS.get(kind) if isinstance(kind, str) else None
        return bool(handler and handler(self, event))

    def _connected(self, event: dict) -> bool:
        at = _moment(event)
        if self.connect_ms is not None or at is None:
            return False
        self.connect_ms = round(at)
        return True

    def _speech_stopped(self, event: dict) -> bool:
        at = _moment(event)
        if at is None:
            return False
        self._speech_stopped_ms = at
        return True

    def _answer_heard(self, event: dict) -> bool:
        at = _moment(event)
        if self._speech_stopped_ms is None or at is None:
            return False
        self.turn_latencies_ms = [*self.turn_latencies_ms, round(at - self._speech_stopped_ms)][-TURNS_KEPT:]
        self._speech_stopped_ms = None
        return True

    def _response_done(self, event: dict) -> bool:
        response = event.get("response")
        return self._response_usage(response.get("usage") if isinstance(response, dict) else None)

    def _transcribed(self, event: dict) -> bool:
        if not isinstance(event.get("usage"), dict):
            return False
        self.cost += pricing.transcription_cost(self.transcription_model, event["usage"])
        return True

    def _response_usage(self, usage) -> bool:
        if not isinstance(usage, dict):
            return False
        inp, out = pricing.part(usage, "input_token_details"), pricing.part(usage, "output_token_details")
        self.responses += 1
        self.input_tokens += int(pricing.count(usage, "input_tokens"))
        self.output_tokens += int(pricing.count(usage, "output_tokens"))
        self.cached_tokens += int(pricing.count(inp, "cached_tokens"))
        self.audio_tokens += int(pricing.count(inp, "audio_tokens") + pricing.count(out, "audio_tokens"))
        self.image_tokens += int(pricing.count(inp, "image_tokens"))
        self.cost += pricing.response_cost(self.model, usage)
        return True

    def _live_usage(self, event: dict) -> bool:
        """A GPT-Live session's billed seconds so far (a snapshot, never summed)."""
        usage = event.get("usage")
        if not isinstance(usage, dict):
            return False
        seconds = pricing.count(usage, "seconds")
        active = pricing.count(usage, "active_seconds") if usage.get("active_seconds") is not None else seconds
        paused = pricing.count(usage, "paused_seconds")
        if max(seconds, active + paused) <= sum(self._live_seen):
            return False  # the same snapshot again, or an older one: billed time never shrinks
        # Taken whole: its active seconds count unused prepaid time, so they can shrink as paused time grows.
        self._live_seen = (active, paused)
        return self._live_billed()

    def _session_created(self, _event: dict) -> bool:
        """A GPT-Live session was created: its startup seconds are billed even if it never runs."""
        if self._live_created:
            return False
        self._live_created = True
        return self._live_billed()

    def _live_billed(self) -> bool:
        """The session's seconds at their rates, or its startup charge while that is more: the
        startup seconds are credited against the running session's, never added to them."""
        active, paused = self._live_seen
        startup = live_catalog.STARTUP_BILLED_SECONDS if self._live_created else 0
        dollars = max(pricing.live_cost(self.model, active, paused), pricing.live_cost(self.model, startup, 0))
        self.live_seconds = round(max(active + paused, startup))
        self.cost += dollars - self._live_charged
        self._live_charged = dollars
        return True

    def _delegated(self, event: dict) -> bool:
        """A delegated Responses call's tokens, at its model's prices."""
        usage = event.get("usage")
        if not isinstance(usage, dict):
            return False
        self.responses += 1
        self.input_tokens += int(pricing.count(usage, "input_tokens"))
        self.output_tokens += int(pricing.count(usage, "output_tokens"))
        self.cached_tokens += int(pricing.count(pricing.part(usage, "input_tokens_details"), "cached_tokens"))
        self.cost += pricing.delegated_cost(str(event.get("model") or ""), usage)
        return True

    @property
    def median_latency_ms(self) -> int | None:
        return round(statistics.median(self.turn_latencies_ms)) if self.turn_latencies_ms else None

    def summary(self) -> dict:
        """Plain values for the page."""
        return {
            "input_tokens": self.input_tokens,
            "cached_tokens": self.cached_tokens,
            "output_tokens": self.output_tokens,
            "audio_tokens": self.audio_tokens,
            "image_tokens": self.image_tokens,
            "responses": self.responses,
            "live_minutes": f"{self.live_seconds / 60:.1f}",
            "cost": f"${self.cost:.4f}",
            "connect": f"{self.connect_ms} ms" if self.connect_ms is not None else "–",
            "last_latency": f"{self.turn_latencies_ms[-1]} ms" if self.turn_latencies_ms else "–",
            "median_latency": f"{self.median_latency_ms} ms" if self.median_latency_ms is not None else "–",
            "engine": self.engine,
        }

    @property
    def engine(self) -> str:
        """The voice API of the call these figures count ("" before any): the page shows its figures."""
        return "live" if self.model in live_catalog.MODELS else "realtime" if self.model else ""


_HANDLERS = {
    E.SESSION_CREATED: Insight._connected,
    E.SESSION_UPDATED: Insight._connected,
    E.SPEECH_STOPPED: Insight._speech_stopped,
    E.OUTPUT_AUDIO_STARTED: Insight._answer_heard,
    E.RESPONSE_DONE: Insight._response_done,
    E.TRANSCRIPTION_COMPLETED: Insight._transcribed,
    USAGE: Insight._live_usage,
    CREATED: Insight._session_created,
    DELEGATED: Insight._delegated,
}


def _moment(event: dict) -> float | None:
    """When the page says the event arrived (ms since Connect): a finite number, or None."""
    at = event.get("received_ms")
    return at if isinstance(at, int | float) and math.isfinite(at) and abs(at) < 1e12 else None

"""How a response ends: the status and status_details its `response.done` carries."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Ending:
    status: str  # completed, incomplete, failed or cancelled
    details: dict | None = None

    @property
    def item_status(self) -> str:
        """An output item cut short by the ending is incomplete."""
        return "completed" if self.status == "completed" else "incomplete"

    @property
    def cut_short(self) -> bool:
        return self.status != "completed"


COMPLETED = Ending("completed")


def cancelled(reason: str) -> Ending:
    """`turn_detected` (the user spoke over it) or `client_cancelled` (response.cancel)."""
    return Ending("cancelled", {"type": "cancelled", "reason": reason})


MAX_OUTPUT_TOKENS = Ending("incomplete", {"type": "incomplete", "reason": "max_output_tokens"})

# The session fault `response_end` -> how each of its responses ends.
BY_FAULT = {
    "completed": COMPLETED,
    "incomplete": MAX_OUTPUT_TOKENS,
    "failed": Ending(
        "failed",
        {
            "type": "failed",
            "error": {
                "type": "server_error",
                "code": "server_error",
                "message": "The response failed: the server had an error while generating it.",
            },
        },
    ),
    "cancelled": cancelled("turn_detected"),
}

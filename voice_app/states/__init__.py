"""The page's Reflex states, in one direction: each layer may use the layers below it, never one
above (tests/test_layout.py keeps it so).

- entry: what the page (or the server, for a call it hears) calls, when it concerns more than one
  state: Connect, the GPT-Live offer, the data channel's events, the settings form, the history,
  the recording, the server's own connection to the call and the MCP answers sent over it;
- call: the call and its controls (`CallState` and its mixins);
- conversation: the transcript on screen, its tools' results and its saved record;
- leaf: what the user chose (settings), the figures (insight) and the MCP requests waiting.

A state asks another through the other's named (private, `_name`) methods, never by reading or
writing its private fields; its public methods are events any client may send. The code that is
not Reflex (the server's hearing of a call, storage, safety, logs) is in voice_app/service/.
"""

LAYERS = {
    "entry": ("channel", "connect", "history", "live", "recording", "server_call", "settings_form"),
    "call": ("call", "call_controls", "call_start", "server_link_controls"),
    "conversation": ("conversation",),
    "leaf": ("insight", "mcp", "settings"),
}

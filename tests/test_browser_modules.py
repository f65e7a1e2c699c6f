"""The browser modules that need no browser, run in node: the call's phases (assets/realtime/phases.js)."""

import json
import subprocess

from tests.conftest import ROOT

NODE = ROOT / ".venv" / "bin" / "node"  # scripts/setup links it; the frontend's build needs it too
PHASES_JS = ROOT / "assets" / "realtime" / "phases.js"

# Every move a call may make, and no other.
ALLOWED = {
    ("preparing", "offering"),
    ("preparing", "closed"),
    ("offering", "answered"),
    ("offering", "closed"),
    ("answered", "open"),
    ("answered", "closed"),
    ("open", "closed"),
}


def node(script: str):
    """What `script` (an ES module, with phases.js imported as `phases`) prints, as JSON."""
    source = f"import * as phases from {json.dumps(PHASES_JS.as_uri())};\n{script}"
    done = subprocess.run([str(NODE), "--input-type=module", "-e", source], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_phase_moves_only_as_the_table_allows():
    result = node("""
        const names = Object.values(phases.PHASES);
        const moves = [];
        for (const from of names) for (const to of names) {
          const phase = phases.makePhase();
          const path = { preparing: [], offering: ["offering"], answered: ["offering", "answered"],
                         open: ["offering", "answered", "open"], closed: ["closed"] }[from];
          if (!path.every((step) => phase.to(step)) || phase.current !== from) throw new Error(`no way to ${from}`);
          const moved = phase.to(to);
          moves.push([from, to, moved, phase.current]);
        }
        console.log(JSON.stringify({ names, moves, start: phases.makePhase().current }));
    """)
    assert set(result["names"]) == {"preparing", "offering", "answered", "open", "closed"}
    assert result["start"] == "preparing"
    for from_, to, moved, now in result["moves"]:
        assert moved == ((from_, to) in ALLOWED), (from_, to)
        assert now == (to if moved else from_), (from_, to)  # a refused move changes nothing


def test_the_phases_and_their_table_cannot_be_changed():
    result = node("""
        const frozen = [phases.PHASES, phases.TRANSITIONS, ...Object.values(phases.TRANSITIONS)].every(Object.isFrozen);
        const phase = phases.makePhase();
        let assigned = true;
        try { phase.current = "open"; } catch (_) { assigned = false; }
        console.log(JSON.stringify({ frozen, assigned, now: phase.current, closedIsFinal: phases.TRANSITIONS.closed.length }));
    """)
    assert result == {"frozen": True, "assigned": False, "now": "preparing", "closedIsFinal": 0}

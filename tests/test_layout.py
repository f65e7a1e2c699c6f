"""The layout holds: the states in one direction (voice_app/states/__init__.py says the order), no
state touching another's private fields, and the service code free of Reflex's states."""

import ast

from tests.conftest import ROOT
from voice_app.states import LAYERS

PACKAGE = ROOT / "voice_app"
LAYER_OF = {module: rank for rank, modules in enumerate(LAYERS.values()) for module in modules}


def _imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """Each voice_app module imported, and whether the import sits inside a function."""
    found = []
    for function in [None, *[n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]]:
        for node in ast.walk(function or tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found += [(name, function is not None) for name in names if name.startswith("voice_app.")]
    return found


def upward_imports(sources: dict[str, str]) -> list[str]:
    """Imports of a state module by one in the same or a lower layer that the order forbids, and
    any import of a state inside a function (it hides a loop at import time)."""
    wrong = []
    for module, text in sources.items():
        for used, inner in {
            (u, i)
            for name, i in _imports(ast.parse(text))
            if name.startswith("voice_app.states.")
            for u in [name.split(".")[2]]
            if u in LAYER_OF
        }:
            same_layer_ok = LAYER_OF[used] == LAYER_OF[module] and LAYER_OF[module] < LAYER_OF["conversation"]
            if inner or (LAYER_OF[used] <= LAYER_OF[module] and not same_layer_ok):
                wrong.append(f"{module} -> {used}{' (inside a function)' if inner else ''}")
    return wrong


def cycles(sources: dict[str, str]) -> list[str]:
    graph = {
        module: {name.split(".")[2] for name, _ in _imports(ast.parse(text)) if name.startswith("voice_app.states.")}
        for module, text in sources.items()
    }
    seen, stack, found = set(), [], []

    def visit(module):
        if module in stack:
            found.append(" -> ".join([*stack[stack.index(module) :], module]))
            return
        if module in seen or module not in graph:
            return
        seen.add(module)
        stack.append(module)
        for used in graph[module]:
            visit(used)
        stack.pop()

    for module in graph:
        visit(module)
    return found


def private_fields_touched(sources: dict[str, str]) -> list[str]:
    """`other._field` where `_field` is a state's private field and `other` is not `self`."""
    trees = {module: ast.parse(text) for module, text in sources.items()}
    fields = {
        target.id
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for item in node.body
        if isinstance(item, ast.AnnAssign)
        and isinstance(target := item.target, ast.Name)
        and target.id.startswith("_")
        and not target.id.startswith("__")
    }
    return [
        f"{module}:{node.lineno} {ast.unparse(node)}"
        for module, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in fields
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]


def _states() -> dict[str, str]:
    return {path.stem: path.read_text() for path in (PACKAGE / "states").glob("*.py") if path.stem != "__init__"}


def test_every_state_module_has_its_place_in_the_order():
    assert set(_states()) == set(LAYER_OF)


def test_the_states_depend_in_one_direction():
    assert upward_imports(_states()) == []
    assert cycles(_states()) == []


def test_no_state_reads_or_writes_another_states_private_fields():
    assert private_fields_touched(_states()) == []


def test_the_service_code_and_the_api_logic_use_no_state():
    for package in ("service", "realtime", "live"):
        for path in (PACKAGE / package).rglob("*.py"):
            used = [
                name
                for name, _ in _imports(ast.parse(path.read_text()))
                if name.startswith(("voice_app.states", "voice_app.components", "voice_app.voice_app"))
            ]
            assert used == [], f"{path.relative_to(ROOT)} uses {used}"


def test_the_checks_catch_what_they_are_for():
    """Each check fails on the mistake it is for: a leaf using the call, an import hidden in a
    function, a loop, and a state writing another's private field."""
    leaf_up = {"settings": "from voice_app.states.call import CallState\n", "call": "class CallState:\n    _attempt: int = 0\n"}
    assert upward_imports(leaf_up) == ["settings -> call"]
    hidden = {"call": "def f():\n    from voice_app.states.conversation import ConversationState\n"}
    assert upward_imports(hidden) == ["call -> conversation (inside a function)"]
    loop = {"connect": "from voice_app.states.live import LiveState\n", "live": "from voice_app.states.connect import X\n"}
    assert cycles(loop)
    poke = {"connect": "async def f(self):\n    call = await self.get_state(CallState)\n    call._attempt = 3\n", **leaf_up}
    assert private_fields_touched(poke) == ["connect:3 call._attempt"]

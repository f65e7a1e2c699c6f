import os
import sys
from pathlib import Path

import reflex as rx

from voice_app.components import theme

# Build settings for machines without bun: npm, on the Node that scripts/setup links into .venv/bin.
_venv_bin = Path(sys.executable).parent
os.environ["PATH"] = f"{_venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("REFLEX_USE_NPM", "1")
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
_registry = _venv_bin.parent / "npm-registry"
if _registry.exists():
    os.environ.setdefault("NPM_CONFIG_REGISTRY", _registry.read_text().strip())

config = rx.Config(
    app_name="voice_app",
    # Saved conversations; any SQLAlchemy URL in REFLEX_DB_URL (e.g. PostgreSQL) in production.
    db_url="sqlite:///reflex.db",
    telemetry_enabled=False,
    plugins=[theme.plugin()],  # Radix Themes, only as much of it as the page uses
    disable_plugins=[rx.plugins.SitemapPlugin],
    # The sticky badge would cover the transcript on a phone-sized screen.
    show_built_with_reflex=False,
)

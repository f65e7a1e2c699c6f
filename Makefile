# The two commands of the README, and the pieces they are made of. Each sets up what it needs.
.PHONY: run test check lint setup test-setup build simulator bench

setup:
	scripts/setup

test-setup:
	scripts/setup --tests

# The frontend is built (npm, with the network) before the tests enter their namespace.
build: setup
	.venv/bin/reflex export --frontend-only --no-zip > /dev/null

# The database schema is brought up to date (migrations in alembic/) before the app starts.
run: setup
	.venv/bin/reflex db migrate
	.venv/bin/reflex run

# Lint and format check (ruff; its settings in pyproject.toml). `ruff format` and `ruff check --fix` mend most.
lint: test-setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Every test runs inside a fresh network namespace: loopback only, nothing leaves the machine.
test: test-setup lint build
	scripts/in-netns .venv/bin/python -m pytest

# The loop while developing (about 2 minutes on 2 idle cores): lint, then the pure and simulator tests but those
# marked slow (real-time audio, databases); no frontend build, no browser. `make test` runs them all.
check: test-setup lint
	scripts/in-netns .venv/bin/python -m pytest tests/realtime tests/live tests/simulator tests/test_*.py -m "not slow" -q

simulator: setup
	.venv/bin/python -m voice_app.simulator --port 8765

# The benchmarks (not part of the tests): our app against a plain baseline page; prints a table.
bench: test-setup build
	scripts/in-netns .venv/bin/python -m bench

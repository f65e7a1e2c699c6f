# The two commands of the README, and the pieces they are made of. Each sets up what it needs.
.PHONY: run test setup test-setup build simulator bench

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

# Every test runs inside a fresh network namespace: loopback only, nothing leaves the machine.
test: test-setup build
	scripts/in-netns .venv/bin/python -m pytest

simulator: setup
	.venv/bin/python -m voice_app.simulator --port 8765

# The benchmarks (not part of the tests): our app against a plain baseline page; prints a table.
bench: test-setup build
	scripts/in-netns .venv/bin/python -m bench

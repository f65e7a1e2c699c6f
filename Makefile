# The two commands of the README, and the pieces they are made of.
.PHONY: test setup simulator

setup:
	scripts/setup

# Every test runs inside a fresh network namespace: loopback only, nothing leaves the machine.
test: setup
	scripts/in-netns .venv/bin/python -m pytest

simulator: setup
	.venv/bin/python -m voice_app.simulator --port 8765

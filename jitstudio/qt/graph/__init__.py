"""The visual graph editors of approval workflows and AI assistants."""

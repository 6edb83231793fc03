"""jitstudio: a desktop IDE and local runtime for event-driven low-code apps laid out the JitAI way."""
__version__ = "0.1.0"

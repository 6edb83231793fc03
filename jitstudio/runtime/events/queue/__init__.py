"""jitstudio.runtime.events.queue"""

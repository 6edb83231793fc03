"""jitstudio.runtime.events"""

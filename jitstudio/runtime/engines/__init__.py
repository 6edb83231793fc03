"""jitstudio.runtime.engines"""

"""jitstudio.runtime.data"""

"""jitstudio.runtime.http"""

"""The domain core: question banks, answers files, scoring and consolidation.

Plain Python with no Flask import, so the command line, the web app and the tests all call the
same functions.
"""

"""casemap: Safe & Together case-consultation workbooks, core package.

This package never imports ipywidgets; the UI lives in the sibling package ``widgets``.
"""

__version__ = "0.1.0"

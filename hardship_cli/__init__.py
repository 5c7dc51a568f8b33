"""hardship: a trade union hardship-assistance fund, from the terminal."""

__version__ = "0.1.0"

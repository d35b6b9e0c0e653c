"""The law (EGAlim): the bottom layer. Imports nothing of the project; see egalim/rules.py for the entry points."""

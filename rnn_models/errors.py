"""Errors that carry a message meant for the person who supplied the input."""


class UserInputError(ValueError):
    """Bad user input (file, argument, text); the message says what was wrong and how to fix it."""

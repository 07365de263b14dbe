"""The one error type the CLI turns into a one-line message and exit code 2."""


class CdkgError(Exception):
    """A problem with an input (file, query, endpoint) that the user can fix.

    The message names the input and the problem on one line; the CLI prints it as
    ``cdkg: error: <message>`` and exits with status 2, leaving existing outputs untouched.
    """

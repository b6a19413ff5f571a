"""Invalid settings as one ERROR line that never shows a secret, whatever its type.

singer-sdk prints a JSON Schema error with the offending value (`123456789 is not of type
'string'`), one line per problem plus a summary: a client secret typed as a number, or a
refresh token pasted into a list, would be echoed in full. Here each problem names its
setting, a secret's value is never shown, and the problems are joined into one line.
"""

from __future__ import annotations

import typing as t

from jsonschema import validators

from tap_pinterest_ads.config_schema import SECRET_SETTINGS
from tap_pinterest_ads.errors import TapError
from tap_pinterest_ads.redaction import Redactor

if t.TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from singer_sdk.exceptions import ConfigValidationError

_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


class InvalidConfigError(TapError):
    """The settings are invalid; the message lists each problem, naming its setting.

    Not a ConfigValidationError on purpose: singer-sdk's CLI catches that one and logs each
    problem on its own ERROR line plus a summary line.
    """

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


def invalid_config(exc: ConfigValidationError, config: t.Mapping[str, t.Any]) -> InvalidConfigError:
    """One error for every problem `exc` found in `config`, with no secret in it."""
    problems = list(exc.errors)
    if exc.schema:
        validator = validators.validator_for(exc.schema)(exc.schema)
        problems = [_describe(error) for error in validator.iter_errors(dict(config))] or problems
    redactor = Redactor()
    for name in SECRET_SETTINGS:
        redactor.add(config.get(name))
    return InvalidConfigError([redactor(problem) for problem in problems or [str(exc)]])


def _describe(error: ValidationError) -> str:
    setting = ".".join(str(part) for part in error.absolute_path)
    if not setting:
        return error.message
    if error.absolute_path[0] in SECRET_SETTINGS:
        got = _JSON_TYPES.get(type(error.instance), type(error.instance).__name__)
        expected = _expected(error)
        return f"{setting} must be {expected}, got {got} (a secret: its value is not shown)"
    return f"{setting}: {error.message}"


def _expected(error: ValidationError) -> str:
    if error.validator != "type":
        return f"valid ({error.validator} {error.validator_value!r})"
    names = (
        error.validator_value
        if isinstance(error.validator_value, list)
        else [error.validator_value]
    )
    return " or ".join(f"a {name}" if name != "null" else "null" for name in names)

"""The password policy (OWASP ASVS 2.1): long enough, not a common password, not the e-mail.

Hashing stays argon2id (services.users). The list of common passwords ships with the package
(assessment/data/common-passwords.txt: the 10,000 most common of zxcvbn's list, plus Latvian
ones); nothing is looked up over the network.
"""

from __future__ import annotations

import functools
import string
from importlib import resources

MIN_PASSWORD = 12
MAX_PASSWORD = 200
#: The shortest e-mail local part that is looked for inside a password ("jo" would refuse
#: half the dictionary).
MIN_LOCAL_PART = 3

#: Problems, as keys the web translates and the CLI words in English.
ENGLISH = {
    "short": f"the password must have at least {MIN_PASSWORD} characters",
    "long": f"the password must have at most {MAX_PASSWORD} characters",
    "common": "the password is one of the most common passwords: choose another",
    "email": "the password must not contain the e-mail address's name part",
}


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased."""
    text = resources.files("assessment").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) == 1:
        return True
    for times in (2, 3, 4):  # a common one said twice ("trustno1trustno1")
        size, rest = divmod(len(lowered), times)
        if not rest and lowered == lowered[:size] * times and lowered[:size] in common_passwords():
            return True
    # A common password with digits or signs tacked on ("password2026!") is as weak.
    core = lowered.rstrip(string.digits + string.punctuation + " ")
    core = core.lstrip(string.digits + string.punctuation + " ")
    return bool(core) and core != lowered and core in common_passwords()


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why `password` is refused (a key of ENGLISH), or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return "short"
    if len(password) > MAX_PASSWORD:
        return "long"
    if _is_common(password):
        return "common"
    local = (email or "").split("@", 1)[0].strip().lower()
    if len(local) >= MIN_LOCAL_PART and local in password.lower():
        return "email"
    for part in local.replace("_", ".").replace("-", ".").replace("+", ".").split("."):
        if len(part) >= 4 and part in password.lower():  # jānis.bērziņš → "bērziņš"
            return "email"
    return None

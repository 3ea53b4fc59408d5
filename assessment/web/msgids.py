"""Message ids that only reach `_()` at run time, listed here so that extraction finds them.

Templates translate stored values with a variable argument: `_(a.state)`, `_(u.role)`,
`_(origin)`. `pybabel extract` cannot see what a variable holds, so without this list these
words would be missing from the catalogues and shown untranslated. Nothing imports the names
below for their values; keep the list in step with the models (states, roles, bank origins).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Assessment states (models.Assessment.state).
STATES = (_l("draft"), _l("in_progress"), _l("completed"), _l("archived"))
# ... as shown (web.helpers.state_label): never the raw code.
STATE_WORDS = (_l("in progress"),)

# User roles (models.User.role).
ROLES = (_l("admin"), _l("consultant"), _l("member"))

# Where a question bank came from (admin's bank list).
BANK_ORIGINS = (_l("bundled"), _l("uploaded"))

# States of a version of the customer service standard (models.StandardVersion.state); "draft"
# is above.
STANDARD_STATES = (_l("approved"), _l("superseded"))

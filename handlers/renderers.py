"""Imports every module that registers outbox renderers."""

from __future__ import annotations

import handlers.oversight_notifications  # noqa: F401
import handlers.complaint_notifications  # noqa: F401, E402
import handlers.guidance_notifications  # noqa: F401
import handlers.verification_notifications  # noqa: F401

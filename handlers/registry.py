"""Every feature's Router, in the order the dispatcher consults them. Add one line per feature module."""

from __future__ import annotations

from handlers.routing import Router


def all_routers() -> list[Router]:
    from handlers import complaint_intake, dialog_words, menu, my_complaints, staff, supervisor_routing

    routers: list[Router] = [
        menu.router,
        dialog_words.router,
        complaint_intake.router,
        my_complaints.router,
        my_complaints.rating_router,
        staff.router,
        supervisor_routing.router,
    ]
    from handlers import supervision

    routers += [supervision.router, supervision.staff_router]
    from handlers import guidance, guidance_adjust

    routers += [guidance.router, guidance_adjust.router]
    from handlers import verification

    routers.append(verification.router)
    # Other feature modules append their router here, e.g.:
    #   from handlers import guidance
    #   routers.append(guidance.router)
    return routers

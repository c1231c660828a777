"""Every feature's Router, in the order the dispatcher consults them. Add one line per feature module."""

from __future__ import annotations

from handlers.dispatch.routing import Router


def all_routers() -> list[Router]:
    from handlers.complaints import intake as complaint_intake
    from handlers.complaints import my_complaints, staff, supervisor_routing
    from handlers.dialogs import dialog_words
    from handlers.start import menu

    routers: list[Router] = [
        menu.router,
        dialog_words.router,
        complaint_intake.router,
        my_complaints.router,
        my_complaints.rating_router,
        staff.router,
        supervisor_routing.router,
    ]
    from handlers.oversight import supervision

    routers += [supervision.router, supervision.staff_router]
    from handlers.guidance import adjust as guidance_adjust
    from handlers.guidance import conversation as guidance

    routers += [guidance.router, guidance_adjust.router]
    from handlers.verification import conversation as verification

    routers.append(verification.router)
    # Other feature modules append their router here, e.g.:
    #   from handlers import guidance
    #   routers.append(guidance.router)
    return routers

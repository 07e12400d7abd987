"""What the networks pages and services say (one place: forms and services both use them)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "new_network": _("New network"),
    "edit_network": _("Edit network"),
    "created": _("Network created."),
    "saved": _("Changes saved."),
    "member_added": _("Member invited."),
    "member_removed": _("Member removed."),
    "meeting_saved": _("Meeting saved."),
    "meeting_recorded": _("This meeting was already recorded, so it was not saved a second time."),
    "document_shared": _("Document shared."),
    "document_already_shared": _(
        "This document was already shared, so it was not shared a second time."
    ),
    "not_your_org": _("You can only start a network for an organisation you coordinate."),
    "org_or_person": _("Invite either an organisation or a person."),
    "already_member": _("Already a member of this network."),
    "keep_coordinator": _("The coordinating organisation stays a member."),
    "attendee_not_member": _("Attendees must be members of the network."),
    "file_or_link": _("Share either a file or a link."),
    "no_user": _(
        "Nobody with this e-mail address has an account. Send them an invitation by e-mail "
        "instead: they will create their account from its link."
    ),
    # Invitations of people by e-mail.
    "bad_role": _("Choose one of the roles in the list."),
    "invitation_sent": _("The invitation is on its way to %(email)s."),
    "invitation_revoked": _("The invitation was revoked; its link no longer works."),
    "invitation_pending": _("This person has already been invited and has not answered yet."),
    "invitation_not_pending": _("Only an invitation still waiting for an answer can be revoked."),
    "link_unknown": _("This invitation link is not valid. Check that you copied all of it."),
    "link_expired": _("This invitation has expired. Ask the network's coordinator for a new one."),
    "link_used": _("This invitation has already been used."),
    "link_revoked": _("This invitation was withdrawn by the network's coordinator."),
    "wrong_person": _(
        "This invitation was sent to another e-mail address than the one you are logged in "
        "with. Log out and open the link again, or ask the coordinator to invite this account."
    ),
    "email_taken": _(
        "An account with this e-mail address exists already: log in to accept the invitation."
    ),
    "joined": _("Welcome to the network %(network)s."),
    "account_ready": _(
        "Your account is ready and you are a member of the network. Log in with your e-mail "
        "address and password."
    ),
}

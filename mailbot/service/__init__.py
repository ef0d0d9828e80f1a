"""The staff actions, one function each, called alike by the command line and the console.

Each runs in one transaction with its audit event, as a named staff member whose role
allows it (``base.Service.acting``):

    drafts      approve, reject, edit                        (a draft id or a reference)
    requests    extend, refuse, change_kind, close, reply, research, resend_verification,
                verify, verify_new_address, assign, note
    orders      approve, reject                              (a client's processing order)
    quarantine  replay, dismiss
    clients     add_client, remove_contact
    optouts     add, remove
    users       add, disable, enable, set_role, reset_password
    ways        which of these move a request on from the state it is in
"""

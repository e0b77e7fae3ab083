# Outbox
outbox-title = Outbox
outbox-intro = Emails sent by Embark for this workspace.
outbox-empty = No email sent yet.
outbox-subject = Subject
outbox-to = To
outbox-sent = Sent
outbox-transport = Transport
outbox-no-body = Only emails written to the outbox directory keep their content here; this one went through another transport.
outbox-link-hidden = (link hidden: it works once, for its recipient only)

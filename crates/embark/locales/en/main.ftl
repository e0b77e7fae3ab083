# Navigation and layout
nav-skip = Skip to content
nav-workspace = Workspace
nav-main = Main navigation
nav-home = Home
nav-people = People
nav-outbox = Outbox
nav-account = My account
nav-language = Language
nav-sign-out = Sign out
error-back-home = Back to home
pager-next = Next page

# Problems (error pages and API)
problem-not-found-title = Page not found
problem-not-found = This page does not exist, or you do not have access to it.
problem-forbidden-title = Not allowed
problem-forbidden = Your role does not allow this action. Ask an administrator of your workspace if you need it.
problem-unauthenticated-title = Sign in required
problem-unauthenticated = Sign in first (for the API: send a personal token as Authorization: Bearer).
problem-csrf-title = Form expired
problem-csrf = This form was sent without a valid security token, so nothing was changed. Go back, reload the page and try again.
problem-rate-limited-title = Too many attempts
problem-rate-limited = Too many attempts from your address. Wait a minute, then try again.
problem-validation-title = Invalid input
problem-validation = Some fields are invalid.
problem-bad-request-title = Bad request
problem-bad-request = The request could not be read.
problem-internal-title = Something went wrong
problem-internal = An unexpected error occurred and was logged. Please try again in a moment.

# Sign in
login-title = Sign in
login-intro = Staff of the firm: sign in with your email and password.
login-submit = Sign in
login-invalid = Email or password is incorrect.
login-rate-limited = Too many failed attempts from your address. Wait a minute, then try again.
link-request-title = Client or new hire?
link-request-intro = No password needed: we email you a link that signs you in.
link-request-submit = Email me a sign-in link
link-sent-title = Check your inbox
link-sent-body = If { $email } has access to Embark, a sign-in link is on its way.
link-sent-hint = The link works once and expires after 24 hours. Nothing arrived? Check your spam folder or ask your contact at the firm.
link-back-to-login = Back to sign in
link-valid-title = Welcome
link-valid-body = Continue as { $name } in { $workspace }.
link-valid-submit = Continue
link-expired-title = This link has expired
link-expired-body = Sign-in links are valid for 24 hours. Ask for a new one: it only takes a moment.
link-used-title = This link was already used
link-used-body = Each sign-in link works once. Ask for a new one to sign in again.
link-unknown-title = This link is not valid
link-unknown-body = The link is incomplete or was replaced by a newer one. Ask for a new one.
link-request-new = Get a new link
invitation-title = Choose your password
invitation-body = { $name }, you are invited to { $workspace }. Choose a password to finish setting up your account.
invitation-submit = Save and sign in
password-hint = At least 10 characters. A short sentence is easy to remember and hard to guess.

# Fields
field-email = Email
field-password = Password
field-new-password = New password
field-password-confirmation = Password again
field-name = Name
field-role = Role
field-status = Status
field-language = Language
field-token-name = Token name

# Home
home-title = Home
home-greeting = Hello { $name }
home-empty-title = Nothing to do yet
home-empty-admin = Your workspace is ready. Start by inviting your account managers and the people you onboard.
home-empty-account-manager = When a search or an onboarding starts, its steps and your next actions appear here.
home-empty-client = Your contact at the firm will share your search with you here: the scorecard to fill in, meetings and reports.
home-empty-new-hire = Your onboarding journey will appear here, with what to do before your first day.
home-empty-manager = The onboarding tasks you own will appear here.
home-invite-cta = Invite people

# People
users-title = People
users-list = People of the workspace
people-count = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
users-invited = Invitation sent.
users-invite-title = Invite someone
users-invite-intro = Staff receive a link to choose their password; clients and new hires receive a sign-in link.
users-invite-submit = Send the invitation
status-active = Active
status-inactive = Deactivated
status-invited = Invited
user-role-changed = Role changed.
user-deactivated = Account deactivated: signed out everywhere.
user-reactivated = Account reactivated.
user-link-resent = A new link was sent.
user-role-title = Role
user-role-submit = Change the role
user-access-title = Access
user-created = Account created on { $date }
user-resend = Send a new link
user-deactivate-help = A deactivated person is signed out at once and can no longer sign in. Their history is kept.
user-deactivate-confirm = Deactivate this account?
user-deactivate = Deactivate
user-reactivate = Reactivate

# My account
account-title = My account
account-language-title = Language
account-language-intro = Pages and emails are shown in this language.
account-tokens-title = API tokens
account-tokens-intro = Personal tokens let your scripts call the Embark API with your rights.
account-token-created = Your new token:
account-token-once = Copy it now: it will not be shown again.
account-token-create = Create a token
account-token-created-at = created { $date }
account-token-used-at = last used { $date }
account-token-revoked-badge = Revoked
account-token-revoke = Revoke
account-token-revoked = Token revoked.

# Outbox
outbox-title = Outbox
outbox-intro = Emails sent by Embark for this workspace.
outbox-empty = No email sent yet.
outbox-subject = Subject
outbox-to = To
outbox-sent = Sent
outbox-transport = Transport
outbox-no-body = Only emails written to the outbox directory keep their content here; this one went through another transport.

# Roles
role-admin = Administrator
role-account-manager = Account manager
role-client-contact = Client contact
role-new-hire = New hire
role-manager = Manager
role-coach = Coach

# Emails
email-greeting = Hello { $name },
email-sign-in-subject = Your sign-in link to { $workspace }
email-sign-in-intro = Here is your link to sign in to { $workspace } on Embark.
email-sign-in-action = Sign in
email-invitation-subject = You are invited to { $workspace } on Embark
email-invitation-intro = You are invited to join { $workspace } on Embark. Choose your password to get started.
email-invitation-action = Accept the invitation
email-link-expiry = { $count ->
    [one] This link works once and expires in { $count } hour.
   *[other] This link works once and expires in { $count } hours.
}
email-ignore = If you did not expect this email, you can ignore it.
email-signature = Embark

# Field errors
error-email-required = Enter an email address.
error-email-invalid = Enter a valid email address, like name@example.com.
error-email-taken = This email is already used by someone in this workspace.
error-name-required = Enter a name.
error-name-invalid = A name has at most 100 characters.
error-workspace-name-invalid = A workspace name has 2 to 80 characters.
error-password-too-short = The password needs at least 10 characters.
error-password-too-long = The password is too long (256 bytes at most).
error-password-mismatch = The two passwords differ.
error-role-invalid = Choose a role from the list.
error-locale-invalid = Choose French (fr) or English (en).
error-user-inactive = This account is deactivated: reactivate it first.
error-user-has-password = This person signs in with their password: there is no link to send.
error-last-admin = The workspace needs at least one active administrator.
error-deactivate-self = You cannot deactivate your own account.
error-token-name = Give the token a name of 1 to 80 characters.
error-field-missing = This field is required.
error-field-unknown = This field is not part of the request.
error-field-type = This value has the wrong type.
error-limit-range = limit must be between 1 and 200.
error-cursor-invalid = This cursor is not one the API gave.

# Playbooks
nav-playbooks = Playbooks
nav-engagements = Engagements
playbooks-title = Playbooks
playbooks-intro = Procedures that read as articles and run as checklists or meeting guides.
playbooks-empty = The library is empty.
playbook-kind-meeting = Meeting
playbook-kind-journey = Journey
playbook-builtin = Built-in
playbook-start = Start an engagement
playbook-import-title = Import a playbook
playbook-import-intro = Paste a playbook document (Markdown, see the format guide). A playbook with the same key and language gets a new version.
playbook-import-failed = Nothing was imported. Fix these lines and try again:
playbook-source = Document
playbook-key = Key (optional)
playbook-key-hint = Lower-case letters, digits and dashes; pairs the French and English versions. Defaults to the title.
playbook-import-submit = Check and import
playbook-unchanged = This document is identical to the latest version: nothing changed.
playbook-created = Playbook imported.
playbook-new-version = New version saved. Running engagements keep the version they started from.
playbook-feedback-thanks = Thank you for your answer.
playbook-reading = { $count ->
    [one] { $count } minute read
   *[other] { $count } minutes read
}
playbook-latest = see the latest version (v{ $version })
playbook-edit = Edit
playbook-versions = Versions
playbook-export = Export
playbook-target = Target: { $target }
playbook-owner = Owner: { $role }
playbook-due = Due: { $due }
playbook-deliverable = Deliverable: { $deliverable }
playbook-stage-before = before the meeting
playbook-stage-after = after the meeting
playbook-stage-throughout = throughout the meeting
checkpoint-ask-client = Ask the client
checkpoint-why = Why?
checkpoint-why-short = Why?
playbook-feedback-question = Did you find your answer?
playbook-feedback-yes = Yes
playbook-feedback-no = No
playbook-feedback-counts = { $yes } yes · { $no } no
playbook-edit-title = Edit “{ $title }”
playbook-edit-intro = Saving creates version { $version } + 1; engagements already running keep their version.
playbook-edit-language = An edit keeps the playbook's language; import a document in the other language as its own playbook.
playbook-save = Check and save a new version
playbook-versions-title = Versions of “{ $title }”
playbook-read-version = Read this version
playbook-changes = { $count ->
    [one] { $count } changed line
   *[other] { $count } changed lines
}
error-playbook-key = The key may only hold lower-case letters, digits and dashes (2 to 64).
error-playbook-unknown = Choose a playbook from the library.

# Engagements
engagements-title = Engagements
engagements-intro = Every playbook running in the workspace, soonest due first.
engagements-empty-title = No engagement yet
engagements-empty = Start one from a playbook: a search's kick-off, a client's onboarding, a new hire's journey.
engagement-new-title = Start an engagement
engagement-playbook = Playbook
engagement-choose = Continue
engagement-title-field = Title
engagement-title-placeholder = e.g. Head of Sales search — Acme
engagement-subject = For
engagement-subject-placeholder = the client, or the new hire
engagement-anchor = Anchor date
engagement-anchor-named = { $anchor }
engagement-owner = Owner
engagement-participants = Participants
engagement-no-participants = Nobody yet.
engagement-start = Start
engagement-created = Engagement started. Due dates follow from the anchor.
engagement-saved = Saved.
engagement-anchor-moved = Anchor moved: due dates and reminders follow.
engagement-overridden = Prerequisites overridden for this step; the reason is in the timeline.
engagement-progress = Progress
engagement-overdue = Overdue
engagement-next-due = next due { $date }
engagement-nothing-due = nothing due
engagement-due = due { $date }
engagement-gates = Prerequisites
engagement-waiting-for = Waiting for:
engagement-blocked = This step cannot start while these prerequisites are open: { $gates }. Close them first (or ask an administrator to override).
engagement-override = Override (administrators)
engagement-override-reason = Why start anyway?
engagement-override-submit = Start despite the open prerequisites
engagement-overridden-note = Started despite open prerequisites (see the timeline).
engagement-closed-by = by { $name } on { $date }
engagement-closed-at = on { $date }
engagement-move-anchor = New date ({ $anchor })
engagement-move-anchor-submit = Move
engagement-timeline = Timeline
engagement-state-active = Active
engagement-state-completed = Completed
engagement-state-cancelled = Cancelled
item-state-todo = To do
item-state-done = Done
item-state-skipped = Skipped
item-done = Mark done
item-reopen = Reopen
item-skip = Skip…
item-skip-reason = Why skip it?
item-skip-submit = Skip this step
item-note = Note
item-note-save = Save the note
gate-open = Open
gate-closed = Closed
gate-close = Close
gate-closes-with = Closes when: { $signal }
gate-closes-by-hand = Its owner closes it once it is true.
signal-scorecard_sent = the scorecard is sent to the client
signal-scorecard_due_agreed = the client agrees on a return date at least 24 h before
signal-scorecard_returned = the client returns the scorecard
signal-scorecard_certified = the account manager's scorecard certification is valid
signal-logistics_locked = place, time, length and participants are locked
signal-attendance_confirmed = the client confirms they will attend
signal-offer_signed = the offer is signed
filter-playbook = Playbook
filter-owner = Owner
filter-state = State
filter-all = All
filter-apply = Filter
filter-clear = Clear filters
event-created = { $actor } started the engagement
event-done = { $actor } closed “{ $item }”
event-reopened = { $actor } reopened “{ $item }”
event-skipped = { $actor } skipped “{ $item }”
event-note = { $actor } wrote a note on “{ $item }”
event-gate-overridden = { $actor } started “{ $item }” despite open prerequisites
event-anchor-moved = { $actor } moved the anchor
event-completed = Every step is closed: engagement completed
event-active = The engagement is active again
event-cancelled = { $actor } cancelled the engagement
role-buddy = Buddy
error-anchor-required = Enter the date.
error-anchor-invalid = Enter a date like 2026-12-01 10:00.
error-owner-invalid = Choose an active staff member as owner.
error-participant-role = A participant's role must be one of the playbook's roles.
error-participant-unknown = Choose participants among the active people of the workspace.
error-text-too-long = This text is too long.
error-reason-required = Give a reason (at least 3 characters).
error-reason-too-long = The reason is too long (500 characters at most).
error-engagement-cancelled = This engagement is cancelled.
problem-gate-open-title = Waiting for a prerequisite
problem-gate-open = This step cannot start while a prerequisite is open.

# Reminders
email-due-soon-subject = Due tomorrow: { $item } ({ $engagement })
email-due-soon-body = “{ $item }” is due on { $due }, in { $engagement }.
email-overdue-subject = Overdue: { $item } ({ $engagement })
email-overdue-body = “{ $item }” was due on { $due }, in { $engagement }, and is still open.
email-open-engagement = Open the engagement
error-item-state = state must be todo, done or skipped.
error-playbook-syntax = The document has a problem at this line and column.
engagement-change-playbook = choose another
playbook-first-version = first version
anchor-kickoff = kick-off
anchor-start-date = start date
people-count-many = more than 1,000 people
user-certifications-title = Certifications
user-certifications-intro = The scorecard certification is a prerequisite of every kick-off this person runs. Until the learning space grants it, record it here.
user-certification-none = No certification yet.
user-certification-scorecard = Scorecard
user-certification-valid = valid until { $expires } (recorded by { $by } on { $granted })
user-certification-expired = expired on { $expires } (recorded by { $by } on { $granted })
user-certification-expires = Valid until
user-certification-record = Record the scorecard certification
user-certification-recorded = Certification recorded; the prerequisites waiting for it are closed.
error-certification-date = Give a date in the future, like 2027-06-30.
error-certification-staff = Only active staff members hold certifications.
event-closed-by-signal = “{ $item }” closed by itself: its condition is met

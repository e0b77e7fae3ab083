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

# Scorecard
message-back = Back
scorecard-title = Scorecard
scorecard-kickoff-at = kick-off { $date }
scorecard-version = version { $number }
scorecard-rescoping-banner = This version re-scopes a locked scorecard: it is a new search, and the cancellation fee applies.
scorecard-locked-heading = Locked by both parties
scorecard-locked-at = Locked on { $date }.
scorecard-hash = Content fingerprint (SHA-256):
scorecard-locked-referee = This scorecard is now the referee: it cannot be edited. Changing a criterion starts a new search.
scorecard-saving = Saving…
scorecard-saved = Saved
scorecard-changed-by = Changed by %name%
scorecard-reload = The scorecard changed meanwhile. Reload the page to see the latest version.
scorecard-keep-mine = Keep my text
scorecard-take-theirs = Take their text
scorecard-field-mission = Mission
scorecard-field-outcomes = Outcomes
scorecard-field-competencies = Competencies
scorecard-field-must-haves = Must-haves
scorecard-field-nice-to-haves = Nice-to-haves
scorecard-field-location = Location
scorecard-field-salary-range = Salary range
scorecard-field-start-date = Start date
scorecard-hint-mission = Why the role exists, in one or two sentences.
scorecard-hint-outcomes = What the person must achieve, most important first, each with how it is measured.
scorecard-hint-competencies = One per line: how the person works.
scorecard-hint-must-haves = One per line: without these, no candidate is presented.
scorecard-hint-nice-to-haves = One per line: a plus, never a reason to reject.
scorecard-hint-location = Where the person works, and how much remote work is possible.
scorecard-hint-salary-range = Fixed and variable, from–to.
scorecard-hint-start-date = When the person should start.
scorecard-outcome = Outcome
scorecard-measure = How it is measured
scorecard-last-edit = Last edited by { $name }, { $date }
scorecard-save = Save the scorecard
scorecard-return-heading = Before the kick-off
scorecard-not-sent-yet = Not sent to the client yet.
scorecard-due-label = Return it by
scorecard-due-hint = At least 24 hours before the kick-off, so that everyone arrives prepared.
scorecard-send = Send to the client
scorecard-agree = I will return it by this date
scorecard-return-hint = Returning it tells the account manager it is ready; you can still change it together at the kick-off.
scorecard-return = Return the scorecard
scorecard-fact-sent = Sent { $date }, to return by { $due }.
scorecard-fact-agreed = The client committed to this date on { $date }.
scorecard-fact-returned-on-time = Returned { $date }, on time.
scorecard-fact-returned-late = Returned { $date }, { $late } late.
scorecard-lock-heading = The lock
scorecard-not-signed = not signed
scorecard-lock-hint = Both the account manager and the client sign the same content. Any edit or objection voids the signatures given so far.
scorecard-objections-open = { $count ->
    [one] { $count } objection is still open: resolve it before the lock.
   *[other] { $count } objections are still open: resolve them before the lock.
}
scorecard-sign = Sign the lock
scorecard-side-account-manager = Account manager
scorecard-side-client = Client
scorecard-signed-by = { $name }, { $date }
scorecard-rescope = Change a criterion (new search)
scorecard-rescope-warning = The locked scorecard stays as it is. Changing a criterion creates a new version that is a new search, with the cancellation fee and a new set-up.
scorecard-rescope-confirm = I understand that this is a new search and that the cancellation fee applies.
scorecard-rescope-submit = Start a new version
scorecard-objections = Objections and corrections
scorecard-objections-none = No objection recorded.
scorecard-objection-field = About
scorecard-objection-body = What the client objects to or corrects
scorecard-objection-raise = Record the objection
scorecard-objection-resolve = Resolved
scorecard-objection-raised = Raised by { $name }, { $date }
scorecard-objection-resolved = resolved by { $name }, { $date }
scorecard-versions = Versions
scorecard-new-search = new search
scorecard-see-diff = see what changed
scorecard-current = current
scorecard-state-draft = Draft
scorecard-state-sent = Sent to the client
scorecard-state-returned = Returned
scorecard-state-returned-on-time = Returned on time
scorecard-state-returned-late = Returned late
scorecard-state-in-review = In review
scorecard-state-locked = Locked
scorecard-done-sent = The scorecard was sent to the client.
scorecard-done-agreed = Thank you: your return date is recorded.
scorecard-done-returned = Thank you: the scorecard was returned.
scorecard-done-saved = Saved.
scorecard-done-signed = Your signature is recorded. The lock needs the other party's too.
scorecard-done-locked = The scorecard is locked by both parties.
scorecard-done-objection = Objections updated.
scorecard-done-rescoped = A new version was started: a new search.
scorecard-conflict = { $name } changed “{ $field }” while you were writing. Nothing of yours was lost: compare, then keep your text or take theirs.
scorecard-diff-title = What changed
scorecard-diff-heading = Version { $after } against version { $before }
error-scorecard-not-sent = The scorecard has not been sent to you yet: your account manager will email you when it is ready.
error-scorecard-locked = The scorecard is locked: it cannot be changed any more. Changing a criterion starts a new search.
error-scorecard-due-invalid = Give the return date as a date and time.
error-scorecard-due-too-late = The scorecard must come back at least 24 hours before the kick-off: choose an earlier date.
error-scorecard-due-past = This date is already past.
error-scorecard-no-client = Add a client contact to the engagement first: nobody would receive the scorecard.
error-scorecard-mission = Write the mission.
error-scorecard-outcomes = Give at least one outcome.
error-scorecard-outcome-measure = Every outcome needs its measure.
error-scorecard-must-haves = Give at least one must-have.
error-scorecard-objections-open = An objection is still open: resolve it before signing.
error-scorecard-not-locked = Only a locked scorecard is re-scoped; this one can still be edited.
error-rescoping-confirm = Tick the box to confirm that this is a new search with a cancellation fee.
error-scorecard-already-rescoped = Someone started a new version at the same moment.
error-scorecard-field-unknown = This is not a field of the scorecard.
error-scorecard-field-shape = This value does not fit this field.
event-scorecard-sent = { $actor } sent the scorecard to the client
event-scorecard-due-agreed = { $actor } committed to a return date
event-scorecard-returned = { $actor } returned the scorecard
event-scorecard-signed = { $actor } signed the scorecard's lock
event-scorecard-locked = The scorecard is locked by both parties
event-objection-raised = { $actor } raised an objection
event-objection-resolved = { $actor } resolved an objection
event-scorecard-rescoped = { $actor } started a new version of the scorecard: a new search
event-question-asked = { $actor } logged a question
event-question-answered = { $actor } answered a question
event-question-guessed = { $actor } answered a question with a guess: it stays open

# Questions log
questions-title = Questions log
questions-intro = Questions about the role from talents or the internal team, each answered from the locked scorecard. A guess (“I think…”) leaves the question open.
questions-open = { $count ->
    [0] No open question: the need is clear
    [one] { $count } open question
   *[other] { $count } open questions
}
questions-none = No question yet.
questions-guess = This answer is a guess: the question stays open until the scorecard answers it.
questions-answer = Answer
questions-from-field = From the scorecard's
questions-answer-submit = Record the answer
questions-ask = Log a question
questions-source = Asked by
questions-body = Question
questions-ask-submit = Log it
question-source-talent = a talent
question-source-team = the internal team
question-source-client = the client
question-asked = Logged by { $name }, { $date }
questions-done-asked = The question is logged.
questions-done-answered = Answered: the question is closed.
questions-done-guess = Recorded, but this answer is a guess: the question stays open.
error-question-source = Choose who asked.

# Scorecard emails
email-scorecard-request-subject = Your scorecard for “{ $engagement }”
email-scorecard-request-body = { $manager } asks you to fill in the scorecard of the search “{ $engagement }” and to return it by { $due }.
email-scorecard-request-why = We work on the scorecard before we meet: most hiring mistakes come from poor preparation, not from the wrong person. At the kick-off we will finish it together and lock it.
email-scorecard-request-action = Fill in the scorecard

# Navigation and layout
nav-skip = Skip to content
nav-workspace = Workspace
nav-main = Main navigation
nav-menu = Menu
nav-home = Home
nav-people = People
nav-surveys = Surveys
nav-learning = Learning
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
problem-conflict-title = Not possible now
problem-conflict = This cannot be done in the current state.
problem-internal-title = Something went wrong
problem-internal = An unexpected error occurred and was logged. Please try again in a moment.

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

# Punctuation that differs between languages
punct-colon = { ":" }

# Sign in
login-title = Sign in
login-intro = Staff of the firm: sign in with your email and password.
login-submit = Sign in
login-invalid = Email or password is incorrect.
login-rate-limited = Too many failed attempts from your address. Wait a minute, then try again.
login-several-workspaces = Your email belongs to several workspaces?
field-workspace = Workspace
login-workspace-hint = The workspace's name, as your admin gave it. Without it, you sign in to the oldest one.
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

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
playbook-measured-by = Measured by: { $figure }
playbook-measured-not-yet = Not measured by Embark yet
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

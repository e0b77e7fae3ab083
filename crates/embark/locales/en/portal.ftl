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
home-todo = To do
home-todo-none = Nothing to do right now: everything that was yours is done.
home-mine = What you take part in
home-due = due { $date }
home-overdue-since = overdue since { $date }
home-progress = { $closed } of { $total } done
home-answer-survey = Answer: { $title }
home-survey-until = open until { $date }
home-more = { $count ->
    [one] and { $count } more, further ahead: see each engagement
   *[other] and { $count } more, further ahead: see each engagement
}
home-late-elsewhere = Late: “{ $item }” ({ $owner })
home-accept-next-steps = Accept the next steps of your kick-off
home-do-homework = Your next step: { $title }

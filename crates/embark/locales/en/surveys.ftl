## Surveys: NPS, eNPS and their statistics.

survey-nps-interval = 95% interval { $low } to { $high }
survey-too-few = too few answers to read much into it
survey-answers = { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}

surveys-title = Surveys
surveys-intro = What clients and new hires answer, with how far each score can be trusted.
survey-col-survey = Survey
survey-col-score = Score
survey-col-response = Response rate
survey-col-month = Month
survey-col-answers = Answers
survey-col-interval = 95% interval
survey-col-score-value = Score given
survey-anonymous = anonymous
survey-kind-nps = NPS
survey-kind-enps = eNPS
survey-kind-csat = Satisfaction
survey-none-sent = none sent yet
survey-response-rate = { $answered } of { $sent } answered ({ $percent }%)
survey-suppressed = results are shown from { $min } answers, so that nobody can tell who answered what
survey-period = Period
survey-from = From
survey-to = To
survey-apply = Show
survey-figures = This survey in figures
survey-figure-nps = Score
survey-figure-csat = Satisfaction score
survey-figure-change = Last month against the one before
survey-change-significant = a real change: its 95% interval excludes 0
survey-change-not-significant = not significant: it could be chance
survey-distribution = How many gave each score
survey-distribution-table = Answers by score
survey-trend = Month by month
survey-trend-chart = The score month by month, with its 95% interval as a band
survey-trend-table = Score by month
survey-no-answers = No answers in this period yet.
survey-comments = Comments
survey-no-comments = No comments in this period.
error-month = Give a month as year-month, for example 2026-12.
error-period-order = The first month comes after the last one.
error-csat-score = Choose a score from 1 to 5.
error-survey-comment-long = Keep the comment under 2,000 characters.

survey-hello = { $name }, a question about { $engagement }.
survey-about = About { $engagement }.
survey-nps-low = Not at all likely
survey-nps-high = Extremely likely
survey-csat-low = Very dissatisfied
survey-csat-high = Very satisfied
survey-comment = Anything to add? (optional)
survey-anonymous-hint = Your answer is anonymous: it is stored without your name, and results are shown only from 5 answers.
survey-named-hint = Your answer and your name go to the team that works with you, so that they can follow up.
survey-send = Send my answer
survey-thanks = Thank you: your answer is recorded.
survey-already-answered = This survey was already answered with this link: nothing more was recorded.
survey-to-portal = Go to my space
survey-link-expired-title = This link has expired
survey-link-expired-body = The survey could be answered for 14 days after it was sent. Your space shows what is still open.
survey-link-unknown-title = Link not found
survey-link-unknown-body = This survey link does not exist or is no longer valid.

survey-email-intro = A one-minute question about { $engagement }:
survey-email-anonymous = Your answer is anonymous: it is stored without your name, and results are shown only from 5 answers.
survey-email-named = Your answer and your name go to the team that works with you, so that they can follow up.
survey-email-until = The link works until { $date }.
survey-email-action = Answer the question
survey-points = { $count ->
    [one] point
   *[other] points
}
survey-range = { $low } to { $high }

followups-title = Follow-ups
followups-intro = Every unhappy answer to a named survey (a score of 6 or less, a satisfaction of 1 or 2) is followed up by the engagement's owner within 48 hours.
followups-figures = Follow-ups in figures
followups-none = No follow-up yet: no unhappy answer to a named survey.
followup-title = Follow-up
followup-line = { $person } gave { $score }
followup-opened = opened { $date }
followup-due = respond by { $date }
followup-status-open = waiting for a response
followup-status-late = late: no response yet
followup-answered-after = answered by { $name } after { $delay }
followup-response = What was done
followup-response-label = What did you do? (a call, a meeting, what was agreed)
followup-response-hint = Recorded with your name and the time: the first-response time is measured from the answer.
followup-record = Record the response
followup-figure-on-time = Answered within 48 h
followup-figure-on-time-detail = { $on_time } of { $opened } over the last 12 months
followup-figure-mean = Mean first response
followup-figure-answered = { $count ->
    [one] { $count } follow-up answered
   *[other] { $count } follow-ups answered
}
error-followup-response-empty = Say what was done.
error-followup-answered = A response is already recorded for this follow-up.
home-followup = Follow up: { $person } gave { $score }
followup-email-opened-subject = { $person } gave { $score }/10 on { $engagement }
followup-email-opened = { $person } gave { $score }/10 on { $engagement }. Please get in touch and record what was done by { $due }.
followup-email-comment = Their comment: “{ $comment }”
followup-email-action = Open the follow-up
followup-email-late-subject = Late: follow up with { $person }
followup-email-late = No response is recorded yet to { $person }'s answer ({ $score }/10) on { $engagement }: the 48 hours are up.
followup-email-escalated-subject = Not followed up: { $person } on { $engagement }
followup-email-escalated = { $person } gave { $score }/10 on { $engagement } three days ago and { $owner } has recorded no response.
event-followup-answered = { $actor } responded to an unhappy answer
survey-segment = Segment
survey-segment-all = All answers
survey-email-reminder-subject = Reminder: { $title }
survey-email-reminder = A week ago we asked you one question; it takes a minute, and your answer helps us do better.

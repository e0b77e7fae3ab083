## The indicators dashboard

nav-indicators = Indicators
indicators-title = Indicators
indicators-intro = Is onboarding working? The figures that answer it, side by side: what clients and new hires say, how fast we answer them, and how far their journeys are.
indicators-from = From
indicators-to = To
indicators-show = Show
indicators-period = From { $from } to { $to } (months in UTC); progress and late engagements are as of today
indicators-csv = Download as CSV
indicators-details = Details
indicators-section-clients = Clients
indicators-section-kickoffs = Kick-offs
indicators-section-employees = New hires
indicators-section-onboarding = Onboarding today
indicator-client_nps = Client NPS
indicator-enps = New hires’ eNPS
indicator-withheld-value = Withheld
indicator-withheld = { $count ->
    [one] { $count } answer: anonymous results show from 5 answers
   *[other] { $count } answers: anonymous results show from 5 answers
}
indicator-response_rate_to_clients = Clients answered within target
indicator-response_rate_to_clients-detail = { $count ->
    [one] of { $count } request or complaint from clients
   *[other] of { $count } requests and complaints from clients
}
indicator-complaint_first_response = Mean first response to a complaint
indicator-complaint_first_response-detail = { $count ->
    [one] { $count } complaint answered
   *[other] { $count } complaints answered
}
indicator-request_resolution = Mean time to resolve a client’s request
indicator-request_resolution-detail = { $count ->
    [one] { $count } resolved
   *[other] { $count } resolved
}
indicator-report_acknowledgement_delay = Mean delay to acknowledge a report
indicator-report_acknowledgement_delay-detail = { $count ->
    [one] { $count } report acknowledged
   *[other] { $count } reports acknowledged
}
indicator-meetings_on_time = Kick-offs ended on time
indicator-meetings_on_time-detail = { $count ->
    [one] of { $count } kick-off held
   *[other] of { $count } kick-offs held
}
indicator-onboarding_progress = Steps done in running engagements
indicator-onboarding_progress-detail = { $count ->
    [one] over { $count } running engagement
   *[other] over { $count } running engagements
}
indicator-engagements_late = Engagements with a step overdue
indicator-engagements_late-detail = { $count ->
    [one] of { $count } running engagement
   *[other] of { $count } running engagements
}

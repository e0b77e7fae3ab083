## Surveys: NPS, eNPS and their statistics.

survey-nps-interval = 95% interval { $low } to { $high }
survey-too-few = too few answers to read much into it
survey-answers = { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}

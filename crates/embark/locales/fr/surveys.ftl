## Enquêtes : NPS, eNPS et leurs statistiques.

survey-nps-interval = intervalle à 95 % de { $low } à { $high }
survey-too-few = trop peu de réponses pour en tirer une conclusion
survey-answers = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}

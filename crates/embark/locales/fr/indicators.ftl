## Le tableau des indicateurs

nav-indicators = Indicateurs
indicators-title = Indicateurs
indicators-intro = L’onboarding fonctionne-t-il ? Les chiffres qui répondent, côte à côte : ce que disent les clients et les nouvelles recrues, la rapidité de nos réponses, l’avancement de leurs parcours.
indicators-from = Du mois
indicators-to = Au mois
indicators-show = Afficher
indicators-period = De { $from } à { $to } (mois en UTC) ; l’avancement et les retards sont ceux du jour
indicators-csv = Télécharger en CSV
indicators-details = Détails
indicators-section-clients = Clients
indicators-section-kickoffs = Kick-offs
indicators-section-employees = Nouvelles recrues
indicators-section-onboarding = Onboarding aujourd’hui
indicator-client_nps = NPS client
indicator-enps = eNPS des nouvelles recrues
indicator-withheld-value = Masqué
indicator-withheld = { $count ->
    [one] { $count } réponse : les résultats anonymes s’affichent à partir de 5 réponses
   *[other] { $count } réponses : les résultats anonymes s’affichent à partir de 5 réponses
}
indicator-response_rate_to_clients = Clients répondus dans les délais
indicator-response_rate_to_clients-detail = { $count ->
    [one] sur { $count } demande ou réclamation de client
   *[other] sur { $count } demandes et réclamations de clients
}
indicator-complaint_first_response = Délai moyen de première réponse à une réclamation
indicator-complaint_first_response-detail = { $count ->
    [one] { $count } réclamation répondue
   *[other] { $count } réclamations répondues
}
indicator-request_resolution = Délai moyen de résolution d’une demande client
indicator-request_resolution-detail = { $count ->
    [one] { $count } résolue
   *[other] { $count } résolues
}
indicator-report_acknowledgement_delay = Délai moyen d’accusé de réception d’un compte rendu
indicator-report_acknowledgement_delay-detail = { $count ->
    [one] { $count } compte rendu reçu
   *[other] { $count } comptes rendus reçus
}
indicator-meetings_on_time = Kick-offs terminés à l’heure
indicator-meetings_on_time-detail = { $count ->
    [one] sur { $count } kick-off tenu
   *[other] sur { $count } kick-offs tenus
}
indicator-onboarding_progress = Étapes faites dans les engagements en cours
indicator-onboarding_progress-detail = { $count ->
    [one] sur { $count } engagement en cours
   *[other] sur { $count } engagements en cours
}
indicator-engagements_late = Engagements avec une étape en retard
indicator-engagements_late-detail = { $count ->
    [one] sur { $count } engagement en cours
   *[other] sur { $count } engagements en cours
}

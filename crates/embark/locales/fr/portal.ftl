# Accueil
home-title = Accueil
home-greeting = Bonjour { $name }
home-empty-title = Rien à faire pour l'instant
home-empty-admin = Votre espace est prêt. Commencez par inviter vos account managers et les personnes que vous accompagnez.
home-empty-account-manager = Quand une recherche ou un onboarding démarre, ses étapes et vos prochaines actions s'affichent ici.
home-empty-client = Votre contact au cabinet partagera ici votre recherche : la scorecard à remplir, les réunions et les comptes rendus.
home-empty-new-hire = Votre parcours d'intégration s'affichera ici, avec ce qu'il y a à faire avant votre premier jour.
home-empty-manager = Les tâches d'intégration dont vous êtes responsable s'afficheront ici.
home-invite-cta = Inviter des personnes
home-todo = À faire
home-todo-none = Rien à faire pour l’instant : tout ce qui vous revenait est fait.
home-mine = Ce à quoi vous participez
home-due = pour le { $date }
home-overdue-since = en retard depuis le { $date }
home-progress = { $closed } sur { $total } faits
home-answer-survey = Répondre : { $title }
home-survey-until = ouvert jusqu’au { $date }
home-more = { $count ->
    [one] et { $count } autre, plus tard : voir chaque engagement
   *[other] et { $count } autres, plus tard : voir chaque engagement
}
home-late-elsewhere = En retard : « { $item } » ({ $owner })
home-accept-next-steps = Accepter les next steps de votre kick-off
home-do-homework = Votre next step : { $title }

## Enquêtes : NPS, eNPS et leurs statistiques.

survey-nps-interval = intervalle à 95 % de { $low } à { $high }
survey-too-few = trop peu de réponses pour en tirer une conclusion
survey-answers = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}

surveys-title = Enquêtes
surveys-intro = Ce que répondent les clients et les nouveaux arrivants, avec la confiance que mérite chaque score.
survey-col-survey = Enquête
survey-col-score = Score
survey-col-response = Taux de réponse
survey-col-month = Mois
survey-col-answers = Réponses
survey-col-interval = Intervalle à 95 %
survey-col-score-value = Note donnée
survey-anonymous = anonyme
survey-kind-nps = NPS
survey-kind-enps = eNPS
survey-kind-csat = Satisfaction
survey-none-sent = aucun envoi pour l’instant
survey-response-rate = { $answered } sur { $sent } { $answered ->
    [one] a répondu
   *[other] ont répondu
} ({ $percent } %)
survey-suppressed = les résultats s’affichent à partir de { $min } réponses, pour que personne ne puisse savoir qui a répondu quoi
survey-period = Période
survey-from = Du mois
survey-to = Au mois
survey-apply = Afficher
survey-figures = Cette enquête en chiffres
survey-figure-nps = Score
survey-figure-csat = Score de satisfaction
survey-figure-change = Le dernier mois par rapport au précédent
survey-change-significant = un vrai changement : son intervalle à 95 % exclut 0
survey-change-not-significant = non significatif : ce peut être le hasard
survey-distribution = Combien ont donné chaque note
survey-distribution-table = Réponses par note
survey-trend = Mois par mois
survey-trend-chart = Le score mois par mois, avec son intervalle à 95 % en bande
survey-trend-table = Score par mois
survey-no-answers = Aucune réponse sur cette période pour l’instant.
survey-comments = Commentaires
survey-no-comments = Aucun commentaire sur cette période.
error-month = Indiquez un mois sous la forme année-mois, par exemple 2026-12.
error-period-order = Le premier mois est après le dernier.
error-csat-score = Choisissez une note de 1 à 5.
error-survey-comment-long = Gardez le commentaire sous 2 000 caractères.

survey-hello = { $name }, une question à propos de « { $engagement } ».
survey-about = À propos de « { $engagement } ».
survey-nps-low = Pas du tout probable
survey-nps-high = Tout à fait probable
survey-csat-low = Pas du tout satisfait
survey-csat-high = Tout à fait satisfait
survey-comment = Quelque chose à ajouter ? (facultatif)
survey-anonymous-hint = Votre réponse est anonyme : elle est enregistrée sans votre nom, et les résultats ne s’affichent qu’à partir de 5 réponses.
survey-named-hint = Votre réponse et votre nom parviennent à l’équipe qui travaille avec vous, pour qu’elle puisse y donner suite.
survey-send = Envoyer ma réponse
survey-thanks = Merci : votre réponse est enregistrée.
survey-already-answered = Cette enquête a déjà reçu une réponse par ce lien : rien de plus n’a été enregistré.
survey-to-portal = Aller à mon espace
survey-link-expired-title = Ce lien a expiré
survey-link-expired-body = L’enquête pouvait recevoir une réponse pendant 14 jours après son envoi. Votre espace montre ce qui reste ouvert.
survey-link-unknown-title = Lien introuvable
survey-link-unknown-body = Ce lien d’enquête n’existe pas ou n’est plus valide.

survey-email-intro = Une question d’une minute à propos de « { $engagement } » :
survey-email-anonymous = Votre réponse est anonyme : elle est enregistrée sans votre nom, et les résultats ne s’affichent qu’à partir de 5 réponses.
survey-email-named = Votre réponse et votre nom parviennent à l’équipe qui travaille avec vous, pour qu’elle puisse y donner suite.
survey-email-until = Le lien fonctionne jusqu’au { $date }.
survey-email-action = Répondre à la question
survey-points = { $count ->
    [one] point
   *[other] points
}
survey-range = { $low } à { $high }

followups-title = Suivis
followups-intro = Chaque réponse insatisfaite à une enquête nominative (une note de 6 ou moins, une satisfaction de 1 ou 2) est suivie par le responsable de l’engagement sous 48 h.
followups-figures = Les suivis en chiffres
followups-none = Aucun suivi pour l’instant : aucune réponse insatisfaite à une enquête nominative.
followup-title = Suivi
followup-line = { $person } a donné { $score }
followup-opened = ouvert le { $date }
followup-due = à traiter avant le { $date }
followup-status-open = en attente d’une réponse
followup-status-late = en retard : pas encore de réponse
followup-answered-after = traité par { $name } en { $delay }
followup-response = Ce qui a été fait
followup-response-label = Qu’avez-vous fait ? (un appel, un rendez-vous, ce qui a été convenu)
followup-response-hint = Enregistré avec votre nom et l’heure : le délai de première réponse se mesure depuis la réponse.
followup-record = Enregistrer la réponse
followup-figure-on-time = Traités sous 48 h
followup-figure-on-time-detail = { $on_time } sur { $opened } sur les 12 derniers mois
followup-figure-mean = Délai moyen de première réponse
followup-figure-answered = { $count ->
    [one] { $count } suivi traité
   *[other] { $count } suivis traités
}
error-followup-response-empty = Indiquez ce qui a été fait.
error-followup-answered = Une réponse est déjà enregistrée pour ce suivi.
home-followup = Suivi : { $person } a donné { $score }
followup-email-opened-subject = { $person } a donné { $score }/10 sur « { $engagement } »
followup-email-opened = { $person } a donné { $score }/10 sur « { $engagement } ». Prenez contact et enregistrez ce qui a été fait avant le { $due }.
followup-email-comment = Son commentaire : « { $comment } »
followup-email-action = Ouvrir le suivi
followup-email-late-subject = En retard : suivi de { $person }
followup-email-late = Aucune réponse n’est encore enregistrée à la note de { $person } ({ $score }/10) sur « { $engagement } » : les 48 heures sont écoulées.
followup-email-escalated-subject = Sans suivi : { $person } sur « { $engagement } »
followup-email-escalated = { $person } a donné { $score }/10 sur « { $engagement } » il y a trois jours, et { $owner } n’a enregistré aucune réponse.
event-followup-answered = { $actor } a répondu à une réponse insatisfaite
survey-segment = Segment
survey-segment-all = Toutes les réponses
survey-email-reminder-subject = Rappel : { $title }
survey-email-reminder = Il y a une semaine, nous vous avons posé une question ; y répondre prend une minute, et votre réponse nous aide à faire mieux.

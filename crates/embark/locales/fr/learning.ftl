# L'espace de formation : cours, quiz, certifications.
learning-title = Formation
learning-intro = Des cours à lire à votre rythme, avec des quiz ; un examen réussi donne sa certification.
learning-catalogue = Cours
learning-empty = Aucun cours pour l'instant. Un administrateur les importe, ou les cours intégrés arrivent avec l'espace.
learning-progress = { $done } sur { $total } faits
learning-certified-until = Certifié jusqu'au { $date }
learning-certifies = Son examen donne une certification
learning-import-title = Importer un cours
learning-import-intro = Collez un document de cours (Markdown avec un en-tête, des modules et des quiz). Il est vérifié en entier : rien n'est importé tant qu'il reste un problème.
learning-import-failed = Le cours n'a pas été importé. Corrigez ces problèmes :
learning-source = Document du cours
learning-key = Clé (facultative)
learning-key-hint = Associe les versions française et anglaise et nomme le cours dans les prérequis (certified:clé). Tirée du titre si elle est vide.
learning-import-submit = Importer
learning-imported = Cours importé.
learning-unchanged = Ce document est déjà la dernière version du cours : rien n'a changé.
learning-start = Commencer le cours
learning-resume = Reprendre
learning-export = Exporter
learning-complete = Cours terminé : chaque module lu et son examen réussi.
learning-modules = Modules
learning-has-quiz = avec un quiz
learning-module-done = fait
learning-module-position = Module { $n } sur { $total }
learning-media = Médias
learning-module-quiz = Ce module se termine par un quiz : { $quiz }.
learning-to-quiz = Je l'ai lu — passer au quiz
learning-read-next = Je l'ai lu — suite
learning-next = Suite
learning-questions = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
learning-pass-mark = seuil de réussite { $mark } %
learning-attempts-left = { $count ->
    [one] { $count } tentative restante
   *[other] { $count } tentatives restantes
}
learning-exam-closed = L'examen s'ouvre quand chaque module est fait.
learning-no-attempt-left = Plus de tentative pour cette version du cours. Un administrateur peut enregistrer votre certification avec un motif, ou publier une nouvelle version.
learning-attempt-submitted = Cette tentative a déjà été envoyée : ses réponses sont gardées telles quelles.
learning-exam-start = Passer l'examen
learning-exam-resume = Reprendre l'examen
learning-attempts = Vos tentatives
learning-score = { $score } %
learning-passed = réussi
learning-failed = non réussi
learning-true = Vrai
learning-false = Faux
learning-result = { $right } bonnes réponses sur { $asked } : { $score } %.
learning-quiz-passed = Réussi.
learning-quiz-failed = Non réussi.
learning-next-module = Module suivant
learning-back-to-course = Retour au cours
learning-quiz-errors = { $count ->
    [one] Une question attend une réponse (voir ci-dessous). Vos autres réponses sont gardées.
   *[other] { $count } questions attendent une réponse (voir ci-dessous). Vos autres réponses sont gardées.
}
learning-your-answer = Votre réponse
learning-right-option = (bonne réponse)
learning-several = Cochez toutes les bonnes réponses.
learning-answer-right = Juste.
learning-answer-wrong = Faux.
learning-submit = Envoyer mes réponses
error-quiz-unanswered = Répondez à cette question.
error-quiz-answer = Cette réponse ne fait pas partie des choix de la question.
error-language = Choisissez le français (fr) ou l'anglais (en).
certification-expiring-subject = Votre certification « { $course } » expire bientôt
certification-expiring-intro = Votre certification « { $course } » est valable jusqu'au { $date }. Pour la garder, réussissez à nouveau l'examen de la version actuelle du cours.
certification-expiring-days = { $count ->
    [one] Elle expire demain.
   *[other] Elle expire dans { $count } jours.
}
certification-expiring-action = Ouvrir le cours
certification-expired-subject = Votre certification « { $course } » a expiré
certification-expired-intro = Votre certification « { $course } » a expiré. Ces kick-offs, pas encore commencés, l'attendent de nouveau :
certification-expired-renew = Réussissez à nouveau l'examen du cours : leur prérequis se fermera tout seul.
learning-report = Rapport
learning-report-title = Rapport : { $course }
learning-report-csv = Télécharger en CSV
learning-report-figures = Chiffres
learning-report-learners = Apprenants
learning-report-completed = Terminé
learning-report-pass-rate = Examen réussi
learning-report-average = Meilleur score moyen
learning-report-median = Durée médiane pour terminer
learning-report-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
learning-report-none = Personne n'a encore commencé ce cours.
learning-report-col-learner = Apprenant
learning-report-col-attempts = Tentatives d'examen
learning-report-col-best = Meilleur score
learning-report-col-passed = Réussi le
learning-report-col-status = État
learning-report-done = terminé
learning-report-in-progress = en cours
learning-percent = { $value } %
home-renew-certification = Renouvelez votre certification « { $course } »
home-certification-expired = Votre certification « { $course } » a expiré
home-renew-how = Réussissez à nouveau l'examen du cours
home-certification-until = valable jusqu'au { $date }
home-continue-course = Continuez le cours « { $course } »
home-take-course = Suivez le cours « { $course } »
error-course-unknown = Choisissez l'un des cours de l'espace.
error-course-due = Indiquez une date comme 2027-06-30, ou laissez vide.
error-course-due-past = Indiquez une date qui n'est pas passée, ou laissez vide.
error-course-inactive = Ce compte est désactivé : réactivez-le d'abord.
user-courses-title = Cours
user-courses-none = Aucun cours assigné.
user-course-assign = Assigner un cours
user-course = Cours
user-course-due = À terminer pour le (facultatif)
user-course-assigned = Cours assigné ; il apparaît sur sa page d'accueil jusqu'à ce qu'il soit terminé.
user-course-line = { $course } : { $progress }
user-course-line-due = { $course } : { $progress }, à terminer pour le { $date }
learning-empty-assigned = Aucun cours ne vous est encore assigné. Quand ce sera le cas, il apparaîtra ici et sur votre page d'accueil.

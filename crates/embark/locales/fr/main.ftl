# Navigation et mise en page
nav-skip = Aller au contenu
nav-workspace = Espace de travail
nav-main = Navigation principale
nav-home = Accueil
nav-people = Personnes
nav-outbox = Boîte d'envoi
nav-account = Mon compte
nav-language = Langue
nav-sign-out = Se déconnecter
error-back-home = Retour à l'accueil
pager-next = Page suivante

# Problèmes (pages d'erreur et API)
problem-not-found-title = Page introuvable
problem-not-found = Cette page n'existe pas, ou vous n'y avez pas accès.
problem-forbidden-title = Action non autorisée
problem-forbidden = Votre rôle ne permet pas cette action. Demandez à un administrateur de votre espace si vous en avez besoin.
problem-unauthenticated-title = Connexion requise
problem-unauthenticated = Connectez-vous d'abord (pour l'API : envoyez un jeton personnel en Authorization: Bearer).
problem-csrf-title = Formulaire expiré
problem-csrf = Ce formulaire a été envoyé sans jeton de sécurité valide : rien n'a été modifié. Revenez en arrière, rechargez la page et réessayez.
problem-rate-limited-title = Trop de tentatives
problem-rate-limited = Trop de tentatives depuis votre adresse. Patientez une minute, puis réessayez.
problem-validation-title = Saisie invalide
problem-validation = Certains champs sont invalides.
problem-bad-request-title = Requête invalide
problem-bad-request = La requête n'a pas pu être lue.
problem-internal-title = Une erreur est survenue
problem-internal = Une erreur inattendue s'est produite et a été enregistrée. Réessayez dans un instant.

# Connexion
login-title = Connexion
login-intro = Équipe du cabinet : connectez-vous avec votre e-mail et votre mot de passe.
login-submit = Se connecter
login-invalid = E-mail ou mot de passe incorrect.
login-rate-limited = Trop d'échecs depuis votre adresse. Patientez une minute, puis réessayez.
link-request-title = Client ou nouvel arrivant ?
link-request-intro = Pas de mot de passe : nous vous envoyons par e-mail un lien qui vous connecte.
link-request-submit = Recevoir un lien de connexion
link-sent-title = Consultez votre boîte de réception
link-sent-body = Si { $email } a accès à Embark, un lien de connexion est en route.
link-sent-hint = Le lien fonctionne une seule fois et expire au bout de 24 heures. Rien reçu ? Vérifiez vos courriers indésirables ou demandez à votre contact au cabinet.
link-back-to-login = Retour à la connexion
link-valid-title = Bienvenue
link-valid-body = Continuer en tant que { $name } dans { $workspace }.
link-valid-submit = Continuer
link-expired-title = Ce lien a expiré
link-expired-body = Les liens de connexion sont valables 24 heures. Demandez-en un nouveau : c'est immédiat.
link-used-title = Ce lien a déjà servi
link-used-body = Chaque lien de connexion ne fonctionne qu'une fois. Demandez-en un nouveau pour vous reconnecter.
link-unknown-title = Ce lien n'est pas valide
link-unknown-body = Le lien est incomplet ou a été remplacé par un plus récent. Demandez-en un nouveau.
link-request-new = Recevoir un nouveau lien
invitation-title = Choisissez votre mot de passe
invitation-body = { $name }, vous êtes invité·e dans { $workspace }. Choisissez un mot de passe pour terminer la création de votre compte.
invitation-submit = Enregistrer et se connecter
password-hint = Au moins 10 caractères. Une courte phrase se retient facilement et se devine difficilement.

# Champs
field-email = E-mail
field-password = Mot de passe
field-new-password = Nouveau mot de passe
field-password-confirmation = Mot de passe (confirmation)
field-name = Nom
field-role = Rôle
field-status = Statut
field-language = Langue
field-token-name = Nom du jeton

# Accueil
home-title = Accueil
home-greeting = Bonjour { $name }
home-empty-title = Rien à faire pour l'instant
home-empty-admin = Votre espace est prêt. Commencez par inviter vos account managers et les personnes que vous accompagnez.
home-empty-account-manager = Quand une recherche ou un onboarding démarre, ses étapes et vos prochaines actions s'affichent ici.
home-empty-client = Votre contact au cabinet partagera ici votre recherche : la scorecard à remplir, les réunions et les comptes rendus.
home-empty-new-hire = Votre parcours d'intégration s'affichera ici, avec ce qu'il y a à faire avant votre premier jour.
home-empty-manager = Les tâches d'intégration dont vous êtes responsable s'afficheront ici.
home-invite-cta = Inviter des personnes

# Personnes
users-title = Personnes
users-list = Personnes de l'espace
people-count = { $count ->
    [one] { $count } personne
   *[other] { $count } personnes
}
users-invited = Invitation envoyée.
users-invite-title = Inviter quelqu'un
users-invite-intro = L'équipe reçoit un lien pour choisir son mot de passe ; clients et nouveaux arrivants reçoivent un lien de connexion.
users-invite-submit = Envoyer l'invitation
status-active = Actif
status-inactive = Désactivé
status-invited = Invité
user-role-changed = Rôle modifié.
user-deactivated = Compte désactivé : déconnecté partout.
user-reactivated = Compte réactivé.
user-link-resent = Un nouveau lien a été envoyé.
user-role-title = Rôle
user-role-submit = Changer le rôle
user-access-title = Accès
user-created = Compte créé le { $date }
user-resend = Envoyer un nouveau lien
user-deactivate-help = Une personne désactivée est déconnectée aussitôt et ne peut plus se connecter. Son historique est conservé.
user-deactivate-confirm = Désactiver ce compte ?
user-deactivate = Désactiver
user-reactivate = Réactiver

# Mon compte
account-title = Mon compte
account-language-title = Langue
account-language-intro = Les pages et les e-mails s'affichent dans cette langue.
account-tokens-title = Jetons d'API
account-tokens-intro = Les jetons personnels permettent à vos scripts d'appeler l'API d'Embark avec vos droits.
account-token-created = Votre nouveau jeton :
account-token-once = Copiez-le maintenant : il ne sera plus affiché.
account-token-create = Créer un jeton
account-token-created-at = créé le { $date }
account-token-used-at = utilisé le { $date }
account-token-revoked-badge = Révoqué
account-token-revoke = Révoquer
account-token-revoked = Jeton révoqué.

# Boîte d'envoi
outbox-title = Boîte d'envoi
outbox-intro = E-mails envoyés par Embark pour cet espace.
outbox-empty = Aucun e-mail envoyé pour l'instant.
outbox-subject = Objet
outbox-to = Destinataire
outbox-sent = Envoyé
outbox-transport = Transport
outbox-no-body = Seuls les e-mails écrits dans le dossier de la boîte d'envoi gardent ici leur contenu ; celui-ci est passé par un autre transport.

# Rôles
role-admin = Administrateur
role-account-manager = Account manager
role-client-contact = Contact client
role-new-hire = Nouvel arrivant
role-manager = Manager
role-coach = Coach

# E-mails
email-greeting = Bonjour { $name },
email-sign-in-subject = Votre lien de connexion à { $workspace }
email-sign-in-intro = Voici votre lien pour vous connecter à { $workspace } sur Embark.
email-sign-in-action = Se connecter
email-invitation-subject = Vous êtes invité·e dans { $workspace } sur Embark
email-invitation-intro = Vous êtes invité·e à rejoindre { $workspace } sur Embark. Choisissez votre mot de passe pour commencer.
email-invitation-action = Accepter l'invitation
email-link-expiry = { $count ->
    [one] Ce lien ne fonctionne qu'une fois et expire dans { $count } heure.
   *[other] Ce lien ne fonctionne qu'une fois et expire dans { $count } heures.
}
email-ignore = Si vous n'attendiez pas cet e-mail, vous pouvez l'ignorer.
email-signature = Embark

# Erreurs de saisie
error-email-required = Saisissez une adresse e-mail.
error-email-invalid = Saisissez une adresse e-mail valide, comme nom@exemple.fr.
error-email-taken = Cet e-mail est déjà utilisé par une personne de cet espace.
error-name-required = Saisissez un nom.
error-name-invalid = Un nom compte au plus 100 caractères.
error-workspace-name-invalid = Le nom d'un espace compte de 2 à 80 caractères.
error-password-too-short = Le mot de passe doit compter au moins 10 caractères.
error-password-too-long = Le mot de passe est trop long (256 octets au plus).
error-password-mismatch = Les deux mots de passe diffèrent.
error-role-invalid = Choisissez un rôle dans la liste.
error-locale-invalid = Choisissez le français (fr) ou l'anglais (en).
error-user-inactive = Ce compte est désactivé : réactivez-le d'abord.
error-user-has-password = Cette personne se connecte avec son mot de passe : il n'y a pas de lien à envoyer.
error-last-admin = L'espace doit garder au moins un administrateur actif.
error-deactivate-self = Vous ne pouvez pas désactiver votre propre compte.
error-token-name = Donnez au jeton un nom de 1 à 80 caractères.
error-field-missing = Ce champ est obligatoire.
error-field-unknown = Ce champ ne fait pas partie de la requête.
error-field-type = Cette valeur n'a pas le bon type.
error-limit-range = limit doit être compris entre 1 et 200.
error-cursor-invalid = Ce curseur n'a pas été fourni par l'API.

# Playbooks
nav-playbooks = Playbooks
nav-engagements = Engagements
playbooks-title = Playbooks
playbooks-intro = Des procédures qui se lisent comme des articles et se déroulent comme des checklists ou des guides de réunion.
playbooks-empty = La bibliothèque est vide.
playbook-kind-meeting = Réunion
playbook-kind-journey = Parcours
playbook-builtin = Fourni
playbook-start = Démarrer un engagement
playbook-import-title = Importer un playbook
playbook-import-intro = Collez un document de playbook (Markdown, voir le guide du format). Un playbook de même clé et de même langue reçoit une nouvelle version.
playbook-import-failed = Rien n'a été importé. Corrigez ces lignes puis réessayez :
playbook-source = Document
playbook-key = Clé (facultative)
playbook-key-hint = Minuscules, chiffres et tirets ; relie les versions française et anglaise. Par défaut, le titre.
playbook-import-submit = Vérifier et importer
playbook-unchanged = Ce document est identique à la dernière version : rien n'a changé.
playbook-created = Playbook importé.
playbook-new-version = Nouvelle version enregistrée. Les engagements en cours gardent la version de leur démarrage.
playbook-feedback-thanks = Merci pour votre réponse.
playbook-reading = { $count ->
    [one] { $count } minute de lecture
   *[other] { $count } minutes de lecture
}
playbook-latest = voir la dernière version (v{ $version })
playbook-edit = Modifier
playbook-versions = Versions
playbook-export = Exporter
playbook-target = Objectif : { $target }
playbook-owner = Responsable : { $role }
playbook-due = Échéance : { $due }
playbook-deliverable = Livrable : { $deliverable }
playbook-stage-before = avant la réunion
playbook-stage-after = après la réunion
playbook-stage-throughout = tout au long de la réunion
checkpoint-ask-client = À demander au client
checkpoint-why = Pourquoi ?
checkpoint-why-short = Pourquoi ?
playbook-feedback-question = Avez-vous trouvé votre réponse ?
playbook-feedback-yes = Oui
playbook-feedback-no = Non
playbook-feedback-counts = { $yes } oui · { $no } non
playbook-edit-title = Modifier « { $title } »
playbook-edit-intro = L'enregistrement crée la version { $version } + 1 ; les engagements déjà en cours gardent leur version.
playbook-edit-language = Une modification garde la langue du playbook ; importez un document dans l'autre langue comme son propre playbook.
playbook-save = Vérifier et enregistrer une nouvelle version
playbook-versions-title = Versions de « { $title } »
playbook-read-version = Lire cette version
playbook-changes = { $count ->
    [one] { $count } ligne modifiée
   *[other] { $count } lignes modifiées
}
error-playbook-key = La clé ne contient que des minuscules, des chiffres et des tirets (2 à 64).
error-playbook-unknown = Choisissez un playbook de la bibliothèque.

# Engagements
engagements-title = Engagements
engagements-intro = Tous les playbooks en cours dans l'espace, les échéances les plus proches d'abord.
engagements-empty-title = Aucun engagement pour l'instant
engagements-empty = Démarrez-en un depuis un playbook : le kick-off d'une recherche, l'onboarding d'un client, le parcours d'un nouvel arrivant.
engagement-new-title = Démarrer un engagement
engagement-playbook = Playbook
engagement-choose = Continuer
engagement-title-field = Titre
engagement-title-placeholder = ex. Recherche Directeur commercial — Acme
engagement-subject = Pour
engagement-subject-placeholder = le client, ou le nouvel arrivant
engagement-anchor = Date de référence
engagement-anchor-named = { $anchor }
engagement-owner = Responsable
engagement-participants = Participants
engagement-no-participants = Personne pour l'instant.
engagement-start = Démarrer
engagement-created = Engagement démarré. Les échéances découlent de la date de référence.
engagement-saved = Enregistré.
engagement-anchor-moved = Date de référence déplacée : les échéances et les rappels suivent.
engagement-overridden = Prérequis levés pour cette étape ; la raison figure dans l'historique.
engagement-progress = Avancement
engagement-overdue = En retard
engagement-next-due = prochaine échéance le { $date }
engagement-nothing-due = aucune échéance
engagement-due = échéance le { $date }
engagement-gates = Prérequis
engagement-waiting-for = En attente de :
engagement-blocked = Cette étape ne peut pas commencer tant que ces prérequis sont ouverts : { $gates }. Fermez-les d'abord (ou demandez à un administrateur de passer outre).
engagement-override = Passer outre (administrateurs)
engagement-override-reason = Pourquoi commencer quand même ?
engagement-override-submit = Commencer malgré les prérequis ouverts
engagement-overridden-note = Commencée malgré des prérequis ouverts (voir l'historique).
engagement-closed-by = par { $name } le { $date }
engagement-closed-at = le { $date }
engagement-move-anchor = Nouvelle date ({ $anchor })
engagement-move-anchor-submit = Déplacer
engagement-timeline = Historique
engagement-state-active = En cours
engagement-state-completed = Terminé
engagement-state-cancelled = Annulé
item-state-todo = À faire
item-state-done = Fait
item-state-skipped = Ignoré
item-done = Marquer comme fait
item-reopen = Rouvrir
item-skip = Ignorer…
item-skip-reason = Pourquoi l'ignorer ?
item-skip-submit = Ignorer cette étape
item-note = Note
item-note-save = Enregistrer la note
gate-open = Ouvert
gate-closed = Fermé
gate-close = Fermer
gate-closes-with = Se ferme quand : { $signal }
gate-closes-by-hand = Son responsable le ferme quand c'est vrai.
signal-scorecard_sent = la scorecard est envoyée au client
signal-scorecard_due_agreed = le client s'engage sur une date de retour au moins 24 h avant
signal-scorecard_returned = le client rend la scorecard
signal-scorecard_certified = la certification scorecard de l'account manager est valide
signal-logistics_locked = lieu, heure, durée et participants sont verrouillés
signal-attendance_confirmed = le client confirme sa présence
signal-offer_signed = la promesse d'embauche est signée
filter-playbook = Playbook
filter-owner = Responsable
filter-state = État
filter-all = Tous
filter-apply = Filtrer
filter-clear = Effacer les filtres
event-created = { $actor } a démarré l'engagement
event-done = { $actor } a fermé « { $item } »
event-reopened = { $actor } a rouvert « { $item } »
event-skipped = { $actor } a ignoré « { $item } »
event-note = { $actor } a écrit une note sur « { $item } »
event-gate-overridden = { $actor } a commencé « { $item } » malgré des prérequis ouverts
event-anchor-moved = { $actor } a déplacé la date de référence
event-completed = Toutes les étapes sont fermées : engagement terminé
event-active = L'engagement est de nouveau en cours
event-cancelled = { $actor } a annulé l'engagement
role-buddy = Parrain ou marraine
error-anchor-required = Saisissez la date.
error-anchor-invalid = Saisissez une date comme 2026-12-01 10:00.
error-owner-invalid = Choisissez comme responsable une personne active de l'équipe.
error-participant-role = Le rôle d'un participant doit être l'un des rôles du playbook.
error-participant-unknown = Choisissez les participants parmi les personnes actives de l'espace.
error-text-too-long = Ce texte est trop long.
error-reason-required = Donnez une raison (au moins 3 caractères).
error-reason-too-long = La raison est trop longue (500 caractères au plus).
error-engagement-cancelled = Cet engagement est annulé.
problem-gate-open-title = En attente d'un prérequis
problem-gate-open = Cette étape ne peut pas commencer tant qu'un prérequis est ouvert.

# Rappels
email-due-soon-subject = Échéance demain : { $item } ({ $engagement })
email-due-soon-body = « { $item } » arrive à échéance le { $due }, dans { $engagement }.
email-overdue-subject = En retard : { $item } ({ $engagement })
email-overdue-body = « { $item } » devait être fait le { $due }, dans { $engagement }, et reste ouvert.
email-open-engagement = Ouvrir l'engagement
error-item-state = state vaut todo, done ou skipped.
error-playbook-syntax = Le document a un problème à cette ligne et cette colonne.
engagement-change-playbook = en choisir un autre
playbook-first-version = première version
anchor-kickoff = kick-off
anchor-start-date = date d'arrivée
people-count-many = plus de 1 000 personnes
user-certifications-title = Certifications
user-certifications-intro = La certification scorecard est un prérequis de chaque kick-off que mène cette personne. En attendant que l'espace de formation la délivre, enregistrez-la ici.
user-certification-none = Aucune certification pour l'instant.
user-certification-scorecard = Scorecard
user-certification-valid = valable jusqu'au { $expires } (enregistrée par { $by } le { $granted })
user-certification-expired = expirée le { $expires } (enregistrée par { $by } le { $granted })
user-certification-expires = Valable jusqu'au
user-certification-record = Enregistrer la certification scorecard
user-certification-recorded = Certification enregistrée ; les prérequis qui l'attendaient sont fermés.
error-certification-date = Indiquez une date future, comme 2027-06-30.
error-certification-staff = Seuls les membres actifs de l'équipe détiennent des certifications.
event-closed-by-signal = « { $item } » s'est fermé tout seul : sa condition est remplie

# Scorecard
message-back = Retour
scorecard-title = Scorecard
scorecard-kickoff-at = kick-off le { $date }
scorecard-version = version { $number }
scorecard-rescoping-banner = Cette version redéfinit une scorecard verrouillée : c’est une nouvelle recherche, et les frais d’annulation s’appliquent.
scorecard-locked-heading = Verrouillée par les deux parties
scorecard-locked-at = Verrouillée le { $date }.
scorecard-hash = Empreinte du contenu (SHA-256) :
scorecard-locked-referee = Cette scorecard fait désormais référence : elle ne peut plus être modifiée. Changer un critère, c’est démarrer une nouvelle recherche.
scorecard-saving = Enregistrement…
scorecard-saved = Enregistré
scorecard-changed-by = Modifié par %name%
scorecard-reload = La scorecard a changé entre-temps. Rechargez la page pour voir la dernière version.
scorecard-keep-mine = Garder mon texte
scorecard-take-theirs = Prendre son texte
scorecard-field-mission = Mission
scorecard-field-outcomes = Résultats attendus
scorecard-field-competencies = Compétences
scorecard-field-must-haves = Indispensables
scorecard-field-nice-to-haves = Souhaitables
scorecard-field-location = Lieu
scorecard-field-salary-range = Fourchette de salaire
scorecard-field-start-date = Date de prise de poste
scorecard-hint-mission = Pourquoi le poste existe, en une ou deux phrases.
scorecard-hint-outcomes = Ce que la personne doit accomplir, du plus important au moins important, chacun avec sa mesure.
scorecard-hint-competencies = Une par ligne : comment la personne travaille.
scorecard-hint-must-haves = Un par ligne : sans eux, aucun candidat n’est présenté.
scorecard-hint-nice-to-haves = Un par ligne : un plus, jamais une raison d’écarter.
scorecard-hint-location = Où la personne travaille, et la part de télétravail possible.
scorecard-hint-salary-range = Fixe et variable, de… à…
scorecard-hint-start-date = Quand la personne doit commencer.
scorecard-outcome = Résultat attendu
scorecard-measure = Comment il se mesure
scorecard-last-edit = Dernière modification par { $name }, le { $date }
scorecard-save = Enregistrer la scorecard
scorecard-return-heading = Avant le kick-off
scorecard-not-sent-yet = Pas encore envoyée au client.
scorecard-due-label = À retourner avant le
scorecard-due-hint = Au moins 24 heures avant le kick-off, pour que chacun arrive préparé.
scorecard-send = Envoyer au client
scorecard-agree = Je la retournerai avant cette date
scorecard-return-hint = La retourner indique au chargé de compte qu’elle est prête ; vous pourrez encore la modifier ensemble au kick-off.
scorecard-return = Retourner la scorecard
scorecard-fact-sent = Envoyée le { $date }, à retourner avant le { $due }.
scorecard-fact-agreed = Le client s’est engagé sur cette date le { $date }.
scorecard-fact-returned-on-time = Retournée le { $date }, dans les temps.
scorecard-fact-returned-late = Retournée le { $date }, avec { $late } de retard.
scorecard-lock-heading = Le verrouillage
scorecard-not-signed = non signé
scorecard-lock-hint = Le chargé de compte et le client signent le même contenu. Toute modification ou objection annule les signatures déjà données.
scorecard-objections-open = { $count ->
    [one] { $count } objection est encore ouverte : levez-la avant de verrouiller.
   *[other] { $count } objections sont encore ouvertes : levez-les avant de verrouiller.
}
scorecard-sign = Signer le verrouillage
scorecard-side-account-manager = Chargé de compte
scorecard-side-client = Client
scorecard-signed-by = { $name }, le { $date }
scorecard-rescope = Changer un critère (nouvelle recherche)
scorecard-rescope-warning = La scorecard verrouillée reste telle quelle. Changer un critère crée une nouvelle version qui est une nouvelle recherche, avec des frais d’annulation et une nouvelle mise en place.
scorecard-rescope-confirm = J’ai compris qu’il s’agit d’une nouvelle recherche et que les frais d’annulation s’appliquent.
scorecard-rescope-submit = Démarrer une nouvelle version
scorecard-objections = Objections et corrections
scorecard-objections-none = Aucune objection enregistrée.
scorecard-objection-field = Sur
scorecard-objection-body = Ce que le client conteste ou corrige
scorecard-objection-raise = Enregistrer l’objection
scorecard-objection-resolve = Levée
scorecard-objection-raised = Soulevée par { $name }, le { $date }
scorecard-objection-resolved = levée par { $name }, le { $date }
scorecard-versions = Versions
scorecard-new-search = nouvelle recherche
scorecard-see-diff = voir ce qui a changé
scorecard-current = actuelle
scorecard-state-draft = Brouillon
scorecard-state-sent = Envoyée au client
scorecard-state-returned = Retournée
scorecard-state-returned-on-time = Retournée dans les temps
scorecard-state-returned-late = Retournée en retard
scorecard-state-in-review = En revue
scorecard-state-locked = Verrouillée
scorecard-done-sent = La scorecard a été envoyée au client.
scorecard-done-agreed = Merci : votre date de retour est enregistrée.
scorecard-done-returned = Merci : la scorecard a été retournée.
scorecard-done-saved = Enregistré.
scorecard-done-signed = Votre signature est enregistrée. Le verrouillage attend aussi celle de l’autre partie.
scorecard-done-locked = La scorecard est verrouillée par les deux parties.
scorecard-done-objection = Objections mises à jour.
scorecard-done-rescoped = Une nouvelle version a été démarrée : une nouvelle recherche.
scorecard-conflict = { $name } a modifié « { $field } » pendant que vous écriviez. Rien n’est perdu : comparez, puis gardez votre texte ou prenez le sien.
scorecard-diff-title = Ce qui a changé
scorecard-diff-heading = Version { $after } comparée à la version { $before }
error-scorecard-not-sent = La scorecard ne vous a pas encore été envoyée : votre chargé de compte vous écrira quand elle sera prête.
error-scorecard-locked = La scorecard est verrouillée : elle ne peut plus être modifiée. Changer un critère, c’est démarrer une nouvelle recherche.
error-scorecard-due-invalid = Indiquez la date de retour avec une date et une heure.
error-scorecard-due-too-late = La scorecard doit revenir au moins 24 heures avant le kick-off : choisissez une date plus tôt.
error-scorecard-due-past = Cette date est déjà passée.
error-scorecard-no-client = Ajoutez d’abord un contact client à l’engagement : personne ne recevrait la scorecard.
error-scorecard-mission = Rédigez la mission.
error-scorecard-outcomes = Donnez au moins un résultat attendu.
error-scorecard-outcome-measure = Chaque résultat attendu a besoin de sa mesure.
error-scorecard-must-haves = Donnez au moins un indispensable.
error-scorecard-objections-open = Une objection est encore ouverte : levez-la avant de signer.
error-scorecard-not-locked = Seule une scorecard verrouillée se redéfinit ; celle-ci peut encore être modifiée.
error-rescoping-confirm = Cochez la case pour confirmer qu’il s’agit d’une nouvelle recherche avec frais d’annulation.
error-scorecard-already-rescoped = Quelqu’un a démarré une nouvelle version au même moment.
error-scorecard-field-unknown = Ce n’est pas un champ de la scorecard.
error-scorecard-field-shape = Cette valeur ne correspond pas à ce champ.
event-scorecard-sent = { $actor } a envoyé la scorecard au client
event-scorecard-due-agreed = { $actor } s’est engagé sur une date de retour
event-scorecard-returned = { $actor } a retourné la scorecard
event-scorecard-signed = { $actor } a signé le verrouillage de la scorecard
event-scorecard-locked = La scorecard est verrouillée par les deux parties
event-objection-raised = { $actor } a soulevé une objection
event-objection-resolved = { $actor } a levé une objection
event-scorecard-rescoped = { $actor } a démarré une nouvelle version de la scorecard : une nouvelle recherche
event-question-asked = { $actor } a consigné une question
event-question-answered = { $actor } a répondu à une question
event-question-guessed = { $actor } a répondu à une question par une supposition : elle reste ouverte

# Questions log
questions-title = Registre des questions
questions-intro = Les questions sur le poste venant des talents ou de l’équipe interne, chacune avec sa réponse tirée de la scorecard verrouillée. Une supposition (« je pense que… ») laisse la question ouverte.
questions-open = { $count ->
    [0] Aucune question ouverte : le besoin est clair
    [one] { $count } question ouverte
   *[other] { $count } questions ouvertes
}
questions-none = Aucune question pour l’instant.
questions-guess = Cette réponse est une supposition : la question reste ouverte tant que la scorecard n’y répond pas.
questions-answer = Réponse
questions-from-field = Tirée de la rubrique
questions-answer-submit = Enregistrer la réponse
questions-ask = Consigner une question
questions-source = Posée par
questions-body = Question
questions-ask-submit = Consigner
question-source-talent = un talent
question-source-team = l’équipe interne
question-source-client = le client
question-asked = Consignée par { $name }, le { $date }
questions-done-asked = La question est consignée.
questions-done-answered = Répondu : la question est close.
questions-done-guess = Enregistré, mais cette réponse est une supposition : la question reste ouverte.
error-question-source = Choisissez qui a posé la question.

# Scorecard emails
email-scorecard-request-subject = Votre scorecard pour « { $engagement } »
email-scorecard-request-body = { $manager } vous demande de remplir la scorecard de la recherche « { $engagement } » et de la retourner avant le { $due }.
email-scorecard-request-why = Nous travaillons la scorecard avant de nous rencontrer : la plupart des erreurs de recrutement viennent d’une mauvaise préparation, pas de la mauvaise personne. Au kick-off, nous la terminerons ensemble et la verrouillerons.
email-scorecard-request-action = Remplir la scorecard

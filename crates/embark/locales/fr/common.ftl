# Navigation et mise en page
nav-skip = Aller au contenu
nav-workspace = Espace de travail
nav-main = Navigation principale
nav-menu = Menu
nav-home = Accueil
nav-people = Personnes
nav-surveys = Enquêtes
nav-learning = Formation
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
problem-unauthenticated = Connectez-vous d'abord (pour l'API : envoyez un jeton personnel en Authorization: Bearer).
problem-csrf-title = Formulaire expiré
problem-csrf = Ce formulaire a été envoyé sans jeton de sécurité valide : rien n'a été modifié. Revenez en arrière, rechargez la page et réessayez.
problem-rate-limited-title = Trop de tentatives
problem-rate-limited = Trop de tentatives depuis votre adresse. Patientez une minute, puis réessayez.
problem-validation-title = Saisie invalide
problem-validation = Certains champs sont invalides.
problem-bad-request-title = Requête invalide
problem-bad-request = La requête n'a pas pu être lue.
problem-conflict-title = Impossible pour l'instant
problem-conflict = Ce n'est pas possible dans l'état actuel.
problem-internal-title = Une erreur est survenue
problem-internal = Une erreur inattendue s'est produite et a été enregistrée. Réessayez dans un instant.

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
email-invitation-subject = Invitation à rejoindre { $workspace } sur Embark
email-invitation-intro = Une invitation à rejoindre { $workspace } sur Embark vous attend. Choisissez votre mot de passe pour commencer.
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
error-user-inactive = Ce compte est désactivé : réactivez-le d'abord.
error-user-has-password = Cette personne se connecte avec son mot de passe : il n'y a pas de lien à envoyer.
error-last-admin = L'espace doit garder au moins un administrateur actif.
error-deactivate-self = Vous ne pouvez pas désactiver votre propre compte.
error-token-name = Donnez au jeton un nom de 1 à 80 caractères.
error-field-missing = Ce champ est obligatoire.
error-field-unknown = Ce champ ne fait pas partie de la requête.
error-field-type = Cette valeur n'a pas le bon type.
error-limit-range = limit doit être compris entre 1 et 200.
error-cursor-invalid = Ce curseur n'a pas été fourni par l'API.

# Punctuation that differs between languages
punct-colon = { " :" }

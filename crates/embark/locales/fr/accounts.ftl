# Connexion
login-title = Connexion
login-intro = Équipe du cabinet : connectez-vous avec votre e-mail et votre mot de passe.
login-submit = Se connecter
login-invalid = E-mail ou mot de passe incorrect.
login-rate-limited = Trop d'échecs depuis votre adresse. Patientez une minute, puis réessayez.
login-several-workspaces = Votre e-mail appartient à plusieurs espaces ?
field-workspace = Espace de travail
login-workspace-hint = Le nom de l'espace, tel que votre administrateur vous l'a donné. Sans lui, la connexion se fait dans l'espace le plus ancien.
link-request-title = Client ou nouvel arrivant ?
link-request-intro = Pas de mot de passe : nous vous envoyons par e-mail un lien qui vous connecte.
link-request-submit = Recevoir un lien de connexion
link-sent-title = Consultez votre boîte de réception
link-sent-body = Si { $email } a accès à Embark, un lien de connexion est en route.
link-sent-hint = Le lien fonctionne une seule fois et expire au bout de 24 heures. Rien reçu ? Vérifiez vos courriers indésirables ou demandez à votre contact au cabinet.
link-back-to-login = Retour à la connexion
link-valid-title = Bienvenue
link-valid-body = Continuer en tant que { $name } dans { $workspace }.
link-valid-submit = Continuer
link-expired-title = Ce lien a expiré
link-expired-body = Les liens de connexion sont valables 24 heures. Demandez-en un nouveau : c'est immédiat.
link-used-title = Ce lien a déjà servi
link-used-body = Chaque lien de connexion ne fonctionne qu'une fois. Demandez-en un nouveau pour vous reconnecter.
link-unknown-title = Ce lien n'est pas valide
link-unknown-body = Le lien est incomplet ou a été remplacé par un plus récent. Demandez-en un nouveau.
link-request-new = Recevoir un nouveau lien
invitation-title = Choisissez votre mot de passe
invitation-body = { $name }, une invitation à rejoindre { $workspace } vous attend. Choisissez un mot de passe pour terminer la création de votre compte.
invitation-submit = Enregistrer et se connecter
password-hint = Au moins 10 caractères. Une courte phrase se retient facilement et se devine difficilement.

# Personnes
users-title = Personnes
users-list = Personnes de l'espace
people-count = { $count ->
    [one] { $count } personne
   *[other] { $count } personnes
}
users-invited = Invitation envoyée.
users-invite-title = Inviter quelqu'un
users-invite-intro = L'équipe reçoit un lien pour choisir son mot de passe ; clients et nouveaux arrivants reçoivent un lien de connexion.
users-invite-submit = Envoyer l'invitation
status-active = Actif
status-inactive = Désactivé
status-invited = Invité
user-role-changed = Rôle modifié.
user-deactivated = Compte désactivé : déconnecté partout.
user-reactivated = Compte réactivé.
user-link-resent = Un nouveau lien a été envoyé.
user-role-title = Rôle
user-role-submit = Changer le rôle
user-access-title = Accès
user-created = Compte créé le { $date }
user-resend = Envoyer un nouveau lien
user-deactivate-help = Une personne désactivée est déconnectée aussitôt et ne peut plus se connecter. Son historique est conservé.
user-deactivate-confirm = Désactiver ce compte ?
user-deactivate = Désactiver
user-reactivate = Réactiver

# Mon compte
account-title = Mon compte
account-language-title = Langue
account-language-intro = Les pages et les e-mails s'affichent dans cette langue.
account-tokens-title = Jetons d'API
account-tokens-intro = Les jetons personnels permettent à vos scripts d'appeler l'API d'Embark avec vos droits.
account-token-created = Votre nouveau jeton :
account-token-once = Copiez-le maintenant : il ne sera plus affiché.
account-token-create = Créer un jeton
account-token-created-at = créé le { $date }
account-token-used-at = utilisé le { $date }
account-token-revoked-badge = Révoqué
account-token-revoke = Révoquer
account-token-revoked = Jeton révoqué.

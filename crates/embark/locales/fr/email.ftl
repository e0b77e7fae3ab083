# Boîte d'envoi
outbox-title = Boîte d'envoi
outbox-intro = E-mails envoyés par Embark pour cet espace.
outbox-empty = Aucun e-mail envoyé pour l'instant.
outbox-subject = Objet
outbox-to = Destinataire
outbox-sent = Envoyé
outbox-transport = Transport
outbox-no-body = Seuls les e-mails écrits dans le dossier de la boîte d'envoi gardent ici leur contenu ; celui-ci est passé par un autre transport.
outbox-link-hidden = (lien masqué : il ne sert qu'une fois, à son seul destinataire)

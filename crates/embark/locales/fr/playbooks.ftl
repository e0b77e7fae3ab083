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
playbook-import-failed = Rien n'a été importé. Corrigez ces lignes puis réessayez :
playbook-source = Document
playbook-key = Clé (facultative)
playbook-key-hint = Minuscules, chiffres et tirets ; relie les versions française et anglaise. Par défaut, le titre.
playbook-import-submit = Vérifier et importer
playbook-unchanged = Ce document est identique à la dernière version : rien n'a changé.
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
playbook-target = Objectif : { $target }
playbook-measured-by = Mesuré par : { $figure }
playbook-measured-not-yet = Pas encore mesuré par Embark
playbook-owner = Responsable : { $role }
playbook-due = Échéance : { $due }
playbook-deliverable = Livrable : { $deliverable }
playbook-stage-before = avant la réunion
playbook-stage-after = après la réunion
playbook-stage-throughout = tout au long de la réunion
checkpoint-ask-client = À demander au client
checkpoint-why = Pourquoi ?
checkpoint-why-short = Pourquoi ?
playbook-feedback-question = Avez-vous trouvé votre réponse ?
playbook-feedback-yes = Oui
playbook-feedback-no = Non
playbook-feedback-counts = { $yes } oui · { $no } non
playbook-edit-title = Modifier « { $title } »
playbook-edit-intro = L'enregistrement crée la version { $version } + 1 ; les engagements déjà en cours gardent leur version.
playbook-edit-language = Une modification garde la langue du playbook ; importez un document dans l'autre langue comme son propre playbook.
playbook-save = Vérifier et enregistrer une nouvelle version
playbook-versions-title = Versions de « { $title } »
playbook-read-version = Lire cette version
playbook-changes = { $count ->
    [one] { $count } ligne modifiée
   *[other] { $count } lignes modifiées
}
error-playbook-key = La clé ne contient que des minuscules, des chiffres et des tirets (2 à 64).
error-playbook-unknown = Choisissez un playbook de la bibliothèque.

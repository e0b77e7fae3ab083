//! The demo workspace (`embark serve --demo`): an admin, an account manager and
//! a client contact, created once.

use embark_core::{DisplayName, EmailAddress, Locale, Role};
use embark_store::accounts::sessions::Principal;
use embark_store::{accounts::users, accounts::workspaces, playbooks};

use crate::engagements::service::{self as engagements, NewEngagementInput};

use crate::accounts::service as accounts;
use crate::state::AppState;

pub const WORKSPACE: &str = "Demo";
/// A well-known password: this is a demo, its credentials are printed on start-up.
pub const PASSWORD: &str = "embark-demo-2026";
pub const ADMIN: &str = "admin@demo.embark.test";
pub const ACCOUNT_MANAGER: &str = "am@demo.embark.test";
pub const CLIENT: &str = "client@demo.embark.test";
pub const NEW_HIRE: &str = "new-hire@demo.embark.test";

/// The kick-off is a week after the demo is created, at 10:00 local time. Its earliest
/// item is due 72 h before: four days ahead, its reminder a day before that.
pub const KICKOFF_IN_DAYS: i64 = 7;
/// The new hire starts 16 days after the demo is created, at 10:00. The journey's first
/// steps are due 14 days before the start: the day after tomorrow at 10:00, so that
/// they and their "due tomorrow" reminders are ahead of the demo's creation at any hour.
pub const START_IN_DAYS: i64 = 16;

/// A kick-off in a week and a new hire arriving in about two, so that the board has
/// something to show and nothing is late on the first minute, whatever the hour.
async fn sample_engagements(
    state: &AppState,
    am: &users::User,
    client: &users::User,
    hire: &users::User,
) -> anyhow::Result<()> {
    let ws = workspaces::get(&mut state.store.db(), am.workspace_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo workspace"))?;
    let principal =
        Principal { user: am.clone(), workspace_name: ws.name.clone(), workspace_time_zone: ws.time_zone.clone() };
    let tz = jiff::tz::TimeZone::get(&ws.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let day = |days: i64| {
        (state.now().to_jiff().to_zoned(tz.clone()) + jiff::Span::new().days(days))
            .strftime("%Y-%m-%dT10:00")
            .to_string()
    };
    let playbook = |key: &'static str| async move {
        playbooks::find_by_key(&mut state.store.db(), ws.id, key, Locale::Fr)
            .await
            .map(|p| p.map(|p| p.id.to_string()).unwrap_or_default())
    };
    let kickoff = NewEngagementInput {
        playbook_id: playbook("recruitment-kickoff").await?,
        title: "Directrice financière — Dubois SA".into(),
        subject: "Dubois SA".into(),
        anchor: day(KICKOFF_IN_DAYS),
        owner_id: None,
        participants: vec![
            ("account_manager".into(), am.id.to_string()),
            ("client_contact".into(), client.id.to_string()),
        ],
        record_past: false,
    };
    // The AM holds the scorecard certification, so the kick-off starts with that prerequisite met.
    let now = state.now();
    let grant = embark_store::accounts::certifications::Grant {
        workspace: ws.id,
        user: am.id,
        kind: embark_store::accounts::certifications::SCORECARD,
        source: embark_store::accounts::certifications::Source::Override,
        granted_by: None,
        reason: Some("Certified before the workspace used Embark's course"),
        attempt: None,
        granted_at: now,
        expires_at: now.plus_millis(365 * 24 * 3_600_000),
    };
    embark_store::accounts::certifications::record(&mut state.store.db(), grant).await?;
    let id =
        engagements::create(state, &principal, kickoff).await.map_err(|e| anyhow::anyhow!("demo kick-off: {e}"))?;
    crate::kickoff::meeting::service::set_logistics(
        state,
        &principal,
        id,
        "Visio : https://meet.example/dubois",
        &day(KICKOFF_IN_DAYS),
        "60",
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo kick-off logistics: {e}"))?;
    let onboarding = NewEngagementInput {
        playbook_id: playbook("employee-onboarding").await?,
        title: "Arrivée de Zoé Lambert".into(),
        subject: "Zoé Lambert".into(),
        anchor: day(START_IN_DAYS),
        owner_id: None,
        participants: vec![("new_hire".into(), hire.id.to_string()), ("manager".into(), am.id.to_string())],
        record_past: false,
    };
    engagements::create(state, &principal, onboarding).await.map_err(|e| anyhow::anyhow!("demo onboarding: {e}"))?;
    Ok(())
}

/// A year of answers, as a firm that imported its history would have: the client NPS
/// after each kick-off (four a month, slowly improving) and the new hires' eNPS (three
/// a month), with a few comments. Generated from the demo's clock, the same every time.
async fn survey_history(state: &AppState, ws: embark_core::WorkspaceId) -> anyhow::Result<()> {
    const DAY: i64 = 86_400_000;
    const COMMENTS: &[&str] = &[
        "Une scorecard claire dès le premier rendez-vous : nous savions exactement ce que nous cherchions.",
        "Le compte rendu est arrivé vite, mais les prochaines étapes manquaient de dates.",
        "Très bon accompagnement, réactif et à l’écoute.",
        "Mon ordinateur est arrivé au bout de trois jours ; le reste de l’accueil était parfait.",
        "Le binôme m’a beaucoup aidé la première semaine.",
    ];
    let now = state.now();
    let mut tx = state.store.begin().await?;
    // A small fixed generator: the demo is the same on every machine.
    let mut seed: u64 = 0x5eed_2026;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for (key, per_month) in [("client-nps", 4), ("enps", 3)] {
        let template = embark_core::surveys::builtin(key).ok_or_else(|| anyhow::anyhow!("built-in survey {key}"))?;
        let survey = embark_store::surveys::install(&mut tx, ws, template, now).await?;
        for month in 0..12i64 {
            for i in 0..per_month {
                // Older months lean to passives and detractors; recent ones to promoters.
                let roll = next(100) as i64 + (11 - month) * 3;
                let score: u8 = match roll {
                    0..=14 => 4 + next(3) as u8,
                    15..=44 => 7 + next(2) as u8,
                    _ => 9 + next(2) as u8,
                };
                let comment = (next(4) == 0).then(|| COMMENTS[next(COMMENTS.len() as u64) as usize]);
                let days_ago = month * 30 + 2 + i * 7 + next(5) as i64;
                let new = embark_store::surveys::NewAnswer {
                    workspace_id: ws,
                    survey_id: survey.id,
                    user_id: None,
                    engagement_id: None,
                    anonymous: survey.anonymous,
                    segment: "",
                    score,
                    comment,
                    answered_at: now.plus_millis(-days_ago * DAY),
                    source: "import",
                };
                embark_store::surveys::insert_answer(&mut tx, new).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A year of requests and complaints from the client (some answered late), the new
/// hire's question before her first day, and one request that came in two hours ago
/// and waits for its answer — so that the figures and the account manager's home have
/// something to show. Generated from the demo's clock, the same every time.
async fn request_history(
    state: &AppState,
    am: &users::User,
    client: &users::User,
    hire: &users::User,
) -> anyhow::Result<()> {
    use embark_core::requests::{Category, Channel, RequestKind};
    use embark_store::requests::{self as store, NewRequest};
    const HOUR: i64 = 3_600_000;
    const PAST: &[(RequestKind, Category, &str, &str, &str, &str)] = &[
        (
            RequestKind::Request,
            Category::Search,
            "Ajouter une compétence à la scorecard",
            "Bonjour, nous aimerions ajouter la maîtrise de SAP aux compétences attendues.",
            "C’est noté : je l’ajoute et nous la validerons ensemble au point hebdomadaire.",
            "Compétence ajoutée après validation au point hebdomadaire.",
        ),
        (
            RequestKind::Complaint,
            Category::Candidates,
            "Deux profils hors cible dans la shortlist",
            "Deux des cinq candidats n’ont pas l’expérience de la consolidation demandée.",
            "Vous avez raison, je vous en présente deux autres d’ici vendredi.",
            "Deux nouveaux profils présentés ; la shortlist est validée.",
        ),
        (
            RequestKind::Request,
            Category::Billing,
            "Copie de la facture d’acompte",
            "Pourriez-vous renvoyer la facture d’acompte à notre service comptable ?",
            "Je vous l’envoie dans la journée.",
            "Facture renvoyée au service comptable.",
        ),
        (
            RequestKind::Complaint,
            Category::Search,
            "Point hebdomadaire annulé sans prévenir",
            "Le point de jeudi a été annulé une heure avant, sans nouvelle date.",
            "Toutes mes excuses : je vous propose mardi 10 h.",
            "Point reprogrammé et tenu le mardi suivant.",
        ),
    ];
    let ws = am.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let mut seed: u64 = 0x2e9_2026;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for month in 0..12i64 {
        let (kind, category, subject, body, reply, resolution) = PAST[next(PAST.len() as u64) as usize];
        let received_at = now.plus_millis(-((month * 30 + 3 + next(20) as i64) * 24 * HOUR));
        // Most are answered within their target; about one in four is not.
        let target = kind.first_response_within_ms() / HOUR;
        let after = if next(4) == 0 { target + 2 + next(30) as i64 } else { 1 + next(target as u64 - 1) as i64 };
        let answered_at = received_at.plus_millis(after * HOUR);
        let id = store::create(
            &mut tx,
            NewRequest {
                workspace_id: ws,
                kind,
                category,
                channel: if next(3) == 0 { Channel::Phone } else { Channel::Portal },
                requester_id: client.id,
                logged_by: None,
                engagement_id: None,
                owner_id: am.id,
                subject,
                body,
                received_at,
                due_at: received_at.plus_millis(kind.first_response_within_ms()),
            },
        )
        .await?;
        store::add_message(&mut tx, ws, id, am.id, reply, answered_at).await?;
        store::mark_first_response(&mut tx, ws, id, answered_at).await?;
        let resolved_at = answered_at.plus_millis((24 + next(48) as i64) * HOUR);
        store::resolve(&mut tx, ws, id, am.id, resolution, resolved_at).await?;
    }
    // The new hire asked what to bring; she was answered, it is not closed yet.
    let asked = now.plus_millis(-30 * HOUR);
    let id = store::create(
        &mut tx,
        NewRequest {
            workspace_id: ws,
            kind: RequestKind::Request,
            category: Category::Equipment,
            channel: Channel::Portal,
            requester_id: hire.id,
            logged_by: None,
            engagement_id: None,
            owner_id: am.id,
            subject: "Que dois-je apporter le premier jour ?",
            body: "Bonjour, dois-je apporter mon propre ordinateur ou un justificatif pour le badge ?",
            received_at: asked,
            due_at: asked.plus_millis(RequestKind::Request.first_response_within_ms()),
        },
    )
    .await?;
    let answered = asked.plus_millis(4 * HOUR);
    let reply = "Votre ordinateur vous attend ; apportez une pièce d’identité pour le badge.";
    store::add_message(&mut tx, ws, id, am.id, reply, answered).await?;
    store::mark_first_response(&mut tx, ws, id, answered).await?;
    // Two hours ago, a request that waits for its first answer, reminded at its target.
    let received_at = now.plus_millis(-2 * HOUR);
    let due_at = received_at.plus_millis(RequestKind::Request.first_response_within_ms());
    let id = store::create(
        &mut tx,
        NewRequest {
            workspace_id: ws,
            kind: RequestKind::Request,
            category: Category::Search,
            channel: Channel::Portal,
            requester_id: client.id,
            logged_by: None,
            engagement_id: None,
            owner_id: am.id,
            subject: "Préparer le kick-off : qui doit y assister ?",
            body: "Faut-il que notre DAF et notre DRH soient tous les deux présents au kick-off ?",
            received_at,
            due_at,
        },
    )
    .await?;
    let job = crate::jobs::queue::Job::RequestDue { workspace_id: ws, request_id: id };
    crate::jobs::queue::enqueue_at(&mut tx, &job, due_at, now, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the demo workspace if it does not exist. Returns the lines to print.
pub async fn seed(state: &AppState) -> anyhow::Result<Vec<String>> {
    if workspaces::find_by_name(&mut state.store.db(), WORKSPACE).await?.is_none() {
        accounts::create_user_with_password(state, WORKSPACE, ADMIN, "Alice Martin", Role::Admin, PASSWORD, Locale::Fr)
            .await?;
        let am = accounts::create_user_with_password(
            state,
            WORKSPACE,
            ACCOUNT_MANAGER,
            "Thomas Bernard",
            Role::AccountManager,
            PASSWORD,
            Locale::Fr,
        )
        .await?;
        let person = |email: &'static str, name: &'static str, role: Role| {
            let am_ws = am.workspace_id;
            async move {
                let name = DisplayName::parse(name).map_err(|e| anyhow::anyhow!("{e}"))?;
                let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
                let new = users::NewUser {
                    workspace_id: am_ws,
                    email: &email,
                    name: &name,
                    role,
                    locale: Locale::Fr,
                    password_hash: None,
                };
                Ok::<_, anyhow::Error>(users::create(&mut state.store.db(), new, state.now()).await?)
            }
        };
        let client = person(CLIENT, "Claire Dubois", Role::ClientContact).await?;
        let hire = person(NEW_HIRE, "Zoé Lambert", Role::NewHire).await?;
        sample_engagements(state, &am, &client, &hire).await?;
        survey_history(state, am.workspace_id).await?;
        request_history(state, &am, &client, &hire).await?;
    }
    Ok(vec![
        format!("demo workspace {WORKSPACE:?}:"),
        format!("  admin            {ADMIN} / {PASSWORD}"),
        format!("  account manager  {ACCOUNT_MANAGER} / {PASSWORD}"),
        format!("  client contact   {CLIENT} (ask for a sign-in link on the sign-in page; it lands in the outbox)"),
        format!("  new hire         {NEW_HIRE} (same: a sign-in link)"),
    ])
}

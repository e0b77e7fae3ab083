//! The dataset: workspaces and people written straight through `embark-store`,
//! plus an admin with a session and an API token for the load to use.
//!
//! Person `i` (0-based) belongs to workspace `i % workspaces`; person 0 is the
//! admin of the first workspace, which every scenario reads. Names, roles and
//! languages are varied but deterministic, so runs are comparable.
//!
//! For the live kick-off scenario, `meetings` more engagements of the first
//! workspace, each with its own account manager and client contact (two more
//! people, each with a session) and its scorecard already sent to the client,
//! so that both may write it.

use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use embark::secrets::{hash_password, random_token, token_hash};
use embark_core::{DisplayName, EmailAddress, Locale, Role, Timestamp, WorkspaceId, WorkspaceName};
use embark_store::{accounts::api_tokens, accounts::sessions, accounts::users, accounts::workspaces, Engine, Store};
use tokio::task::JoinSet;

/// People written per transaction.
const BATCH: usize = 2_000;
/// How long the benchmark session lasts: longer than any run.
const SESSION_MS: i64 = 7 * 24 * 3_600_000;

/// What the load needs to sign in.
pub struct Dataset {
    /// Value of the `embark_session` cookie of the admin.
    pub session_token: String,
    /// A personal API token of the admin (`emb_…`).
    pub api_token: String,
    /// One engagement of the first workspace, for the engagement page scenario.
    pub engagement_id: String,
    /// The first workspace's kick-off playbook, for the write scenario.
    pub playbook_id: String,
    /// An anchor thirty days ahead, for the write scenario (RFC 3339).
    pub anchor: String,
    /// The live kick-offs, for the live meetings scenario.
    pub meetings: Vec<Meeting>,
}

/// One live kick-off: an engagement and the sessions of its two editors.
pub struct Meeting {
    pub engagement_id: String,
    /// `embark_session` of its account manager (the engagement's owner).
    pub account_manager_session: String,
    /// `embark_session` of its client contact.
    pub client_session: String,
}

/// Writes the dataset into the (empty) database at `url`.
pub async fn build(
    url: &str,
    workspace_count: usize,
    people: usize,
    engagement_count: usize,
    meeting_count: usize,
) -> anyhow::Result<Dataset> {
    let engine = Engine::from_url(url)?;
    // SQLite has one writer at a time; PostgreSQL takes several batches at once.
    let writers = match engine {
        Engine::Sqlite => 1,
        Engine::Postgres => 4,
    };
    let store = Store::connect(url, writers + 1).await.context("connecting to the benchmark database")?;
    store.migrate().await.context("migrating the benchmark database")?;
    let existing: i64 =
        embark_store::query_scalar("SELECT COUNT(*) FROM workspaces").fetch_one(&mut store.db()).await?;
    if existing > 0 {
        bail!("the database already holds {existing} workspace(s); give an empty database");
    }

    let started = Instant::now();
    let now = now();
    // Staff have a password (never used: the load signs in with a session made here).
    let password_hash: Arc<str> = hash_password("benchmark password, never typed")?.into();

    let mut tx = store.begin().await?;
    let mut workspace_ids = Vec::with_capacity(workspace_count);
    for w in 0..workspace_count {
        let name =
            WorkspaceName::parse(&format!("Bench workspace {:05}", w + 1)).map_err(|e| anyhow::anyhow!("{e}"))?;
        workspace_ids.push(workspaces::create(&mut tx, &name, "Europe/Paris", now).await?.id);
    }
    let admin = users::create(
        &mut tx,
        users::NewUser {
            workspace_id: workspace_ids[0],
            email: &EmailAddress::parse("admin@bench.example").map_err(|e| anyhow::anyhow!("{e}"))?,
            name: &DisplayName::parse("Ada Admin").map_err(|e| anyhow::anyhow!("{e}"))?,
            role: Role::Admin,
            locale: Locale::En,
            password_hash: Some(&password_hash),
        },
        now,
    )
    .await?;
    tx.commit().await?;

    let workspace_ids = Arc::new(workspace_ids);
    let mut batches = JoinSet::new();
    let mut written = 1;
    let mut reported = 0;
    let mut start = 1;
    while start < people || !batches.is_empty() {
        if start < people && batches.len() < writers as usize {
            let end = (start + BATCH).min(people);
            batches.spawn(write_people(store.clone(), workspace_ids.clone(), start..end, password_hash.clone(), now));
            start = end;
            continue;
        }
        if let Some(done) = batches.join_next().await {
            written += done.context("a batch of people panicked")??;
            if written * 10 / people > reported {
                reported = written * 10 / people;
                eprintln!("  {written} people written");
            }
        }
    }

    let session_token = random_token();
    sessions::create(
        &mut store.db(),
        &token_hash(&session_token),
        admin.id,
        admin.workspace_id,
        now,
        now.plus_millis(SESSION_MS),
    )
    .await?;
    let api_token = format!("emb_{}", random_token());
    let prefix: String = api_token.chars().take(10).collect();
    api_tokens::create(
        &mut store.db(),
        api_tokens::NewApiToken {
            workspace_id: admin.workspace_id,
            user_id: admin.id,
            name: "benchmark",
            token_hash: &token_hash(&api_token),
            prefix: &prefix,
        },
        now,
    )
    .await?;
    let kickoff = install_kickoff(&store, admin.workspace_id, now).await?;
    let engagement_id = write_engagements(&store, &kickoff, admin.id, engagement_count, now).await?;
    let meetings = write_meetings(&store, &kickoff, people, meeting_count, password_hash.clone(), now).await?;
    write_requests(&store, admin.workspace_id, admin.id, engagement_count, now).await?;
    store.close().await;
    let live = if meeting_count > 0 {
        format!(" (plus {meeting_count} live kick-offs with {} more people)", 2 * meeting_count)
    } else {
        String::new()
    };
    eprintln!(
        "dataset: {people} people in {workspace_count} workspace(s) and {engagement_count} engagements{live}, written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let anchor = now.plus_millis(30 * 86_400_000).to_string();
    Ok(Dataset { session_token, api_token, engagement_id, playbook_id: kickoff.playbook.to_string(), anchor, meetings })
}

/// As many requests and complaints as engagements, from the first workspace's clients,
/// received over the past year and owned by its admin: four in five answered (most
/// within target), half resolved. The requests list and the indicators read them.
async fn write_requests(
    store: &Store,
    workspace: WorkspaceId,
    owner: embark_core::UserId,
    count: usize,
    now: Timestamp,
) -> anyhow::Result<()> {
    use embark_core::requests::{Category, Channel, RequestKind};
    use embark_store::requests::{self, NewRequest};
    const HOUR: i64 = 3_600_000;
    let clients: Vec<(String,)> = embark_store::query_as(
        "SELECT id FROM users WHERE workspace_id = $1 AND role = 'client_contact' ORDER BY id LIMIT 200",
    )
    .bind(workspace.to_string())
    .fetch_all(&mut store.db())
    .await?;
    if clients.is_empty() {
        return Ok(());
    }
    let clients: Vec<embark_core::UserId> = clients.iter().filter_map(|(id,)| id.parse().ok()).collect();
    for batch in (0..count).collect::<Vec<_>>().chunks(ENGAGEMENT_BATCH) {
        let mut tx = store.begin().await?;
        for &i in batch {
            let h = splitmix64(0x5e9_0000 + i as u64);
            let kind = if h.is_multiple_of(3) { RequestKind::Complaint } else { RequestKind::Request };
            let received_at = now.plus_millis(-((h >> 8) as i64 % (365 * 24 * HOUR)) - HOUR);
            let id = requests::create(
                &mut tx,
                NewRequest {
                    workspace_id: workspace,
                    kind,
                    category: Category::Search,
                    channel: Channel::Portal,
                    requester_id: clients[i % clients.len()],
                    logged_by: None,
                    engagement_id: None,
                    owner_id: owner,
                    subject: "The shortlist is late",
                    body: "We expected the shortlist on Monday.",
                    received_at,
                    due_at: received_at.plus_millis(kind.first_response_within_ms()),
                },
            )
            .await?;
            if !(h >> 40).is_multiple_of(5) {
                let answered = received_at.plus_millis(((h >> 44) as i64 % 60 + 1) * HOUR).min(now);
                requests::mark_first_response(&mut tx, workspace, id, answered).await?;
                if (h >> 50).is_multiple_of(2) {
                    requests::resolve(&mut tx, workspace, id, owner, "Done.", answered).await?;
                }
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Engagements written per transaction.
const ENGAGEMENT_BATCH: usize = 250;

/// The built-in kick-off playbook, installed in the first workspace.
struct KickOff {
    workspace: WorkspaceId,
    parsed: embark_core::playbooks::Playbook,
    playbook: embark_core::PlaybookId,
    version: embark_core::PlaybookVersionId,
}

async fn install_kickoff(store: &Store, workspace: WorkspaceId, now: Timestamp) -> anyhow::Result<KickOff> {
    use embark_core::playbooks::builtin;
    use embark_store::playbooks;

    let text = builtin::find("recruitment-kickoff", Locale::En).context("the built-in kick-off")?.text;
    let parsed = embark_core::playbooks::parse(text).map_err(|d| anyhow::anyhow!("built-in kick-off: {d:?}"))?;
    let mut tx = store.begin().await?;
    let new = playbooks::NewPlaybook {
        workspace_id: workspace,
        key: "recruitment-kickoff",
        language: Locale::En,
        title: &parsed.title,
        kind: parsed.kind.as_str(),
        builtin: true,
    };
    let playbook = playbooks::create(&mut tx, new, now).await?;
    let hash = embark_core::diff::content_hash(text);
    let version = playbooks::add_version(
        &mut tx,
        playbooks::NewVersion {
            workspace_id: workspace,
            playbook_id: playbook,
            source: text,
            content_hash: &hash,
            title: &parsed.title,
            kind: parsed.kind.as_str(),
            created_by: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(KickOff { workspace, parsed, playbook, version: version.id })
}

/// `count` kick-offs in the first workspace, from the built-in playbook, with anchors
/// spread over a year and some progress, so that the board has an order to keep.
async fn write_engagements(
    store: &Store,
    kickoff: &KickOff,
    owner: embark_core::UserId,
    count: usize,
    now: Timestamp,
) -> anyhow::Result<String> {
    let mut first = String::new();
    let mut start = 0;
    while start < count {
        let end = (start + ENGAGEMENT_BATCH).min(count);
        let mut tx = store.begin().await?;
        for i in start..end {
            let h = splitmix64(i as u64 + 7);
            let anchor = now.plus_millis(((h % (365 * 24)) as i64 - 60 * 24) * 3_600_000);
            let title = format!("Search {i:05} — {}", Person::nth(i).name);
            let closed = (h >> 20) as usize % 6;
            let id = write_engagement(&mut tx, kickoff, &title, anchor, owner, closed, now).await?;
            if first.is_empty() {
                first = id.to_string();
            }
        }
        tx.commit().await?;
        start = end;
        if count >= 10 * ENGAGEMENT_BATCH && (start / ENGAGEMENT_BATCH).is_multiple_of(10) {
            eprintln!("  {start} engagements written");
        }
    }
    Ok(first)
}

/// One active kick-off whose first `closed` items are done, with its board summary.
async fn write_engagement(
    tx: &mut embark_store::Db,
    kickoff: &KickOff,
    title: &str,
    anchor: Timestamp,
    owner: embark_core::UserId,
    closed: usize,
    now: Timestamp,
) -> anyhow::Result<embark_core::EngagementId> {
    use embark_core::engagements::{self as engagement, EngagementState, ItemStatus};
    use embark_store::engagements;

    let parsed = &kickoff.parsed;
    let workspace = kickoff.workspace;
    let plan = engagement::plan(parsed, anchor, "Europe/Paris");
    let new = engagements::NewEngagement {
        workspace_id: workspace,
        playbook_id: kickoff.playbook,
        version_id: kickoff.version,
        title,
        subject: "Bench client",
        anchor_at: anchor,
        owner_id: owner,
        created_by: Some(owner),
    };
    let id = engagements::create(tx, new, &plan, now).await?;
    let statuses: Vec<ItemStatus> = plan
        .iter()
        .map(|p| ItemStatus {
            key: &p.key,
            kind: p.kind,
            state: if p.position < closed as i64 { engagement::ItemState::Done } else { engagement::ItemState::Todo },
            due_at: p.due_at,
        })
        .collect();
    let progress = engagement::progress(&statuses);
    let summary = engagements::Summary {
        closed: progress.closed,
        total: progress.total,
        next_due_at: engagement::next_due(&statuses),
        next_due_title: engagement::next_due_item(&statuses)
            .and_then(|key| {
                parsed
                    .steps()
                    .find(|s| s.id == key)
                    .map(|s| s.title.clone())
                    .or_else(|| parsed.gates().find(|g| g.id == key).map(|g| g.title.clone()))
            })
            .unwrap_or_default(),
        state: EngagementState::Active,
    };
    engagements::update_summary(&mut *tx, workspace, id, summary, now).await?;
    Ok(id)
}

/// Live kick-offs written per transaction (each is two people, two sessions, an
/// engagement with its items and participants, and a scorecard of 8 fields).
const MEETING_BATCH: usize = 100;

/// `count` kick-offs happening now, each with its account manager (the owner) and
/// its client contact, both participants with a session, and its scorecard sent
/// to the client, so that both may write it. People are numbered after the
/// `people` of the main dataset, so their names differ from run to run only
/// with `--users`.
async fn write_meetings(
    store: &Store,
    kickoff: &KickOff,
    people: usize,
    count: usize,
    password_hash: Arc<str>,
    now: Timestamp,
) -> anyhow::Result<Vec<Meeting>> {
    use embark_core::kickoff::scorecard::FIELDS;
    use embark_store::{engagements, kickoff::scorecards};

    let workspace = kickoff.workspace;
    // Empty values, as a new scorecard has: "" for text, [] for lists.
    let fields: Vec<(&str, String)> = FIELDS
        .iter()
        .map(|&f| match f {
            "mission" | "location" | "salary_range" | "start_date" => (f, "\"\"".to_string()),
            _ => (f, "[]".to_string()),
        })
        .collect();
    let mut meetings = Vec::with_capacity(count);
    let mut start = 0;
    while start < count {
        let end = (start + MEETING_BATCH).min(count);
        let mut tx = store.begin().await?;
        for i in start..end {
            let mut editors = Vec::with_capacity(2);
            for (n, role, kind) in [(0, Role::AccountManager, "am"), (1, Role::ClientContact, "client")] {
                let person = Person::nth(people + 2 * i + n);
                let email = EmailAddress::parse(&format!("{kind}{i}@live.bench.example"))
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let name = DisplayName::parse(&person.name).map_err(|e| anyhow::anyhow!("{e}"))?;
                let user = users::create(
                    &mut tx,
                    users::NewUser {
                        workspace_id: workspace,
                        email: &email,
                        name: &name,
                        role,
                        locale: person.locale,
                        password_hash: role.is_staff().then_some(&*password_hash),
                    },
                    now,
                )
                .await?;
                let token = random_token();
                sessions::create(&mut tx, &token_hash(&token), user.id, workspace, now, now.plus_millis(SESSION_MS))
                    .await?;
                editors.push((user.id, token));
            }
            let (client, client_session) = editors.pop().context("the client contact")?;
            let (am, am_session) = editors.pop().context("the account manager")?;
            // The meeting is on today: the kick-off's anchor is in two hours.
            let anchor = now.plus_millis(2 * 3_600_000);
            let title = format!("Live kick-off {i:04}");
            let id = write_engagement(&mut tx, kickoff, &title, anchor, am, 3, now).await?;
            engagements::add_participant(&mut tx, workspace, id, "account_manager", am).await?;
            engagements::add_participant(&mut tx, workspace, id, "client_contact", client).await?;
            let scorecard = scorecards::create(
                &mut tx,
                scorecards::NewScorecard {
                    workspace_id: workspace,
                    engagement_id: id,
                    number: 1,
                    rescoping: false,
                    fields: &fields,
                    created_by: Some(am),
                },
                now,
            )
            .await?;
            if !scorecards::mark_sent(&mut tx, workspace, scorecard, now.plus_millis(3_600_000), am, now).await? {
                bail!("live kick-off {i}: the new scorecard could not be marked sent");
            }
            meetings.push(Meeting {
                engagement_id: id.to_string(),
                account_manager_session: am_session,
                client_session,
            });
        }
        tx.commit().await?;
        start = end;
    }
    Ok(meetings)
}

/// Writes people `range` in one transaction; returns how many.
async fn write_people(
    store: Store,
    workspace_ids: Arc<Vec<WorkspaceId>>,
    range: std::ops::Range<usize>,
    password_hash: Arc<str>,
    now: Timestamp,
) -> anyhow::Result<usize> {
    let count = range.len();
    let mut tx = store.begin().await?;
    for i in range {
        let person = Person::nth(i);
        let workspace = workspace_ids[i % workspace_ids.len()];
        let email = EmailAddress::parse(&format!("person{i}@ws{}.bench.example", i % workspace_ids.len()))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let name = DisplayName::parse(&person.name).map_err(|e| anyhow::anyhow!("{e}"))?;
        users::create(
            &mut tx,
            users::NewUser {
                workspace_id: workspace,
                email: &email,
                name: &name,
                role: person.role,
                locale: person.locale,
                password_hash: person.role.is_staff().then_some(&*password_hash),
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(count)
}

/// A made-up person, the same for the same index on every run.
struct Person {
    name: String,
    role: Role,
    locale: Locale,
}

const FIRST: [&str; 32] = [
    "Adrien", "Alice", "Amélie", "Bruno", "Camille", "Chloé", "David", "Élodie", "Emma", "Farid", "Gabriel", "Hugo",
    "Inès", "Jules", "Karim", "Léa", "Louis", "Manon", "Mathis", "Nadia", "Noah", "Océane", "Paul", "Quentin", "Rose",
    "Sacha", "Théo", "Ulysse", "Victor", "Wendy", "Yasmine", "Zoé",
];
const LAST: [&str; 32] = [
    "Bernard",
    "Blanc",
    "Bonnet",
    "Chevalier",
    "Dubois",
    "Durand",
    "Faure",
    "Fontaine",
    "Fournier",
    "Garcia",
    "Girard",
    "Lambert",
    "Laurent",
    "Lefebvre",
    "Leroy",
    "Martin",
    "Mercier",
    "Michel",
    "Morel",
    "Moreau",
    "Müller",
    "Nguyen",
    "Petit",
    "Richard",
    "Robert",
    "Roux",
    "Simon",
    "Smith",
    "Thomas",
    "Vincent",
    "Wagner",
    "Zhang",
];

impl Person {
    fn nth(i: usize) -> Person {
        let h = splitmix64(i as u64);
        let first = FIRST[(h & 31) as usize];
        let last = LAST[((h >> 5) & 31) as usize];
        // Mostly external people (clients, new hires), some staff.
        let role = match (h >> 10) % 20 {
            0 | 1 => Role::AccountManager,
            2 | 3 => Role::Manager,
            4 => Role::Coach,
            5 => Role::Admin,
            6..=12 => Role::ClientContact,
            _ => Role::NewHire,
        };
        let locale = if (h >> 20) & 1 == 0 { Locale::Fr } else { Locale::En };
        Person { name: format!("{first} {last}"), role, locale }
    }
}

pub(crate) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn now() -> Timestamp {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    Timestamp::from_millis(ms)
}

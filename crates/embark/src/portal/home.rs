//! The home page: what the signed-in person has to do, overdue first then by due
//! date, each line leading to where it is done; then the engagements they take part
//! in, with their progress. The empty state only when there is truly nothing.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use embark_core::engagements::{ItemKind, Progress};
use embark_core::portal::{order_key, Urgency};
use embark_core::{Role, Timestamp};
use embark_store::engagements::{self as engagement_store, BoardFilter};

use crate::engagements::summary::item_title;
use crate::error::AppError;
use crate::http::{render, Page, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/ping", get(ping))
}

/// A fixed answer to a signed-in person: the session lookup and every
/// middleware, nothing else. The benchmark's `floor` scenario measures it.
async fn ping(_viewer: Viewer) -> &'static str {
    "ok\n"
}

/// How many open items are read, and how many lines the home shows; the rest are
/// on each engagement's page (the home says how many).
const READ_ACTIONS: i64 = 50;
const SHOW_ACTIONS: usize = 12;

/// One thing to do.
pub struct ActionLine {
    pub title: String,
    /// What it is part of ("Zoé joins the Lyon office").
    pub context: String,
    pub url: String,
    /// "due 12/12/2026 10:00", "overdue since …", or empty.
    pub due: String,
    /// overdue, soon, later, undated.
    pub urgency: &'static str,
}

/// An engagement the person takes part in.
pub struct EngagementLine {
    pub title: String,
    pub url: String,
    pub date: String,
    pub percent: i64,
    pub progress: String,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomeTemplate {
    page: Page,
    first_name: String,
    actions: Vec<ActionLine>,
    /// Open items not shown, beyond the first [`SHOW_ACTIONS`].
    more: i64,
    engagements: Vec<EngagementLine>,
    /// Message key of the empty state, by role.
    empty_key: &'static str,
    is_admin: bool,
}

/// The page of an engagement where what a signal records is done.
fn where_done(signal: &embark_core::Signal) -> Option<String> {
    use embark_core::Signal::*;
    let page = match signal {
        ScorecardSent | ScorecardDueAgreed | ScorecardReturned | ScorecardLocked => "scorecard",
        LogisticsLocked | AttendanceConfirmed | MeetingEnded => "meeting",
        ReportSent | ReportAcknowledged | NextStepsAccepted => "report",
        // A certification is earned in the learning space, not in the engagement.
        Certified(course) | Completed(course) => return Some(format!("/learning/{course}")),
        OfferSigned => return None,
    };
    Some(page.to_string())
}

fn due_text(tr: Tr, due_at: Option<Timestamp>, urgency: Urgency, tz: &str) -> String {
    match (due_at, urgency) {
        (Some(at), Urgency::Overdue) => tr.t1("home-overdue-since", "date", &tr.datetime(at, tz)),
        (Some(at), _) => tr.t1("home-due", "date", &tr.datetime(at, tz)),
        (None, _) => String::new(),
    }
}

/// How long before it expires a certification shows on its holder's home.
const RENEW_WITHIN_MS: i64 = 30 * 86_400_000;
/// How long after it expired a certification still shows, to renew it.
const EXPIRED_SHOWN_MS: i64 = 90 * 86_400_000;

/// The learner's actions: a certification to renew (or just expired), and the courses
/// assigned or started but not finished (a client contact sees only those assigned).
async fn learning_actions(
    state: &AppState,
    p: &embark_store::accounts::sessions::Principal,
    tr: Tr,
    locale: embark_core::Locale,
    now: Timestamp,
    actions: &mut Vec<(Option<Timestamp>, ActionLine)>,
) -> Result<(), AppError> {
    let ws = p.user.workspace_id;
    let tz = &p.workspace_time_zone;
    let lines = crate::learning::service::catalogue(state, p, locale).await?;
    let certifications = embark_store::accounts::certifications::of_user(&mut state.store.db(), ws, p.user.id).await?;
    for line in &lines {
        let url = format!("/learning/{}", line.row.key);
        let latest = certifications.iter().filter(|c| c.kind == line.row.key).map(|c| c.expires_at).max();
        match latest {
            Some(expires) if expires > now && expires.as_millis() - now.as_millis() <= RENEW_WITHIN_MS => {
                let urgency = Urgency::of(Some(expires), now);
                actions.push((
                    Some(expires),
                    ActionLine {
                        title: tr.t1("home-renew-certification", "course", &line.row.title),
                        context: tr.t("home-renew-how"),
                        url,
                        due: tr.t1("home-certification-until", "date", &tr.date(expires.plus_millis(-1), tz)),
                        urgency: urgency.as_str(),
                    },
                ));
                continue;
            }
            Some(expires) if expires <= now && now.as_millis() - expires.as_millis() <= EXPIRED_SHOWN_MS => {
                actions.push((
                    Some(expires),
                    ActionLine {
                        title: tr.t1("home-certification-expired", "course", &line.row.title),
                        context: tr.t("home-renew-how"),
                        url,
                        due: due_text(tr, Some(expires), Urgency::Overdue, tz),
                        urgency: Urgency::Overdue.as_str(),
                    },
                ));
                continue;
            }
            _ => {}
        }
        let unfinished = line.done < line.total;
        // Assigned, or started: what is left of it, by its due date when it has one.
        if unfinished && (line.assigned.is_some() || line.done > 0) {
            let due_at = line.assigned.flatten();
            let urgency = Urgency::of(due_at, now);
            let key = if line.done == 0 { "home-take-course" } else { "home-continue-course" };
            actions.push((
                due_at,
                ActionLine {
                    title: tr.t1(key, "course", &line.row.title),
                    context: tr
                        .t_nums("learning-progress", &[("done", line.done as i64), ("total", line.total as i64)]),
                    url,
                    due: due_at.map(|at| due_text(tr, Some(at.plus_millis(-1)), urgency, tz)).unwrap_or_default(),
                    urgency: urgency.as_str(),
                },
            ));
        }
    }
    Ok(())
}

async fn home(State(state): State<AppState>, viewer: Viewer, ctx: RequestCtx) -> Result<Response, AppError> {
    let p = &viewer.principal;
    let role = p.user.role;
    let ws = p.user.workspace_id;
    let tz = p.workspace_time_zone.clone();
    let tr = Tr::new(ctx.locale);
    let now = state.now();
    let db = &mut state.store.conn().await?;

    let mut actions: Vec<(Option<Timestamp>, ActionLine)> = Vec::new();
    for item in engagement_store::open_items_of(db, ws, p.user.id, READ_ACTIONS).await? {
        let Some(playbook) = state.playbooks.by_id(db, ws, item.version_id).await? else { continue };
        // A meeting's undated steps happen in the meeting itself (the runner), not before
        // it; its prerequisites, dated or not, are done before.
        if item.due_at.is_none()
            && playbook.kind == embark_core::playbooks::Kind::Meeting
            && item.kind != ItemKind::Gate
        {
            continue;
        }
        let title = item_title(&playbook, &item.key).unwrap_or_else(|| item.key.clone());
        let urgency = Urgency::of(item.due_at, now);
        // An item that something elsewhere does leads to where it is done (the client's
        // "agree on the return date" to the scorecard); the others to the item itself.
        let signal = playbook
            .gates()
            .find(|g| g.id == item.key)
            .and_then(|g| g.signal.as_ref())
            .or_else(|| playbook.steps().find(|s| s.id == item.key).and_then(|s| s.signal.as_ref()));
        let engagement = format!("/engagements/{}", item.engagement_id);
        let url = match signal.and_then(where_done) {
            Some(elsewhere) if elsewhere.starts_with('/') => elsewhere,
            Some(page) => format!("{engagement}/{page}"),
            None if item.kind == ItemKind::Checkpoint => engagement,
            None => format!("{engagement}#item-{}", item.key),
        };
        actions.push((
            item.due_at,
            ActionLine {
                title,
                context: item.engagement_title.clone(),
                url,
                due: due_text(tr, item.due_at, urgency, &tz),
                urgency: urgency.as_str(),
            },
        ));
    }
    for send in embark_store::surveys::open_sends_of(db, ws, p.user.id, now).await? {
        let Some(survey) = embark_store::surveys::get(db, ws, send.survey_id).await? else { continue };
        // Open sends only: `expires_at` is ahead, never overdue.
        let urgency = Urgency::of(Some(send.expires_at), now);
        actions.push((
            Some(send.expires_at),
            ActionLine {
                title: tr.t1("home-answer-survey", "title", crate::surveys::title(&survey, ctx.locale)),
                context: crate::surveys::question(&survey, ctx.locale).to_string(),
                url: format!("/surveys/sends/{}", send.id),
                due: tr.t1("home-survey-until", "date", &tr.date(send.expires_at, &tz)),
                urgency: urgency.as_str(),
            },
        ));
    }
    for f in embark_store::surveys::open_followups_of(db, ws, p.user.id, 20).await? {
        let urgency = Urgency::of(Some(f.due_at), now);
        let score = f.score.map(|s| s.to_string()).unwrap_or_default();
        actions.push((
            Some(f.due_at),
            ActionLine {
                title: tr.t2("home-followup", "person", f.person_name.as_deref().unwrap_or("—"), "score", &score),
                context: f.engagement_title.clone(),
                url: format!("/surveys/followups/{}", f.id),
                due: due_text(tr, Some(f.due_at), urgency, &tz),
                urgency: urgency.as_str(),
            },
        ));
    }
    for r in embark_store::requests::awaiting_response_of(db, ws, p.user.id, 20).await? {
        let urgency = Urgency::of(Some(r.due_at), now);
        actions.push((
            Some(r.due_at),
            ActionLine {
                title: tr.t2("home-answer-request", "person", &r.requester_name, "subject", &r.subject),
                context: crate::requests::what(tr, &r),
                url: format!("/requests/{}", r.id),
                due: due_text(tr, Some(r.due_at), urgency, &tz),
                urgency: urgency.as_str(),
            },
        ));
    }
    // A client contact's kick-off next steps: accept those nobody accepted (one line per
    // kick-off), do her own homework.
    let mut to_accept: Vec<embark_core::EngagementId> = Vec::new();
    for n in embark_store::kickoff::meetings::next_steps_to_answer(db, ws, p.user.id).await? {
        let url = format!("/engagements/{}/report#next-steps", n.engagement_id);
        let urgency = Urgency::of(Some(n.due_at), now);
        if n.to_accept {
            if to_accept.contains(&n.engagement_id) {
                continue;
            }
            to_accept.push(n.engagement_id);
            actions.push((
                None,
                ActionLine {
                    title: tr.t("home-accept-next-steps"),
                    context: n.engagement_title,
                    url,
                    due: String::new(),
                    urgency: Urgency::of(None, now).as_str(),
                },
            ));
        } else {
            actions.push((
                Some(n.due_at),
                ActionLine {
                    title: tr.t1("home-do-homework", "title", &n.title),
                    context: n.engagement_title,
                    url,
                    due: due_text(tr, Some(n.due_at), urgency, &tz),
                    urgency: urgency.as_str(),
                },
            ));
        }
    }
    learning_actions(&state, p, tr, ctx.locale, now, &mut actions).await?;
    // An admin also sees what is late across the workspace, beyond their own items:
    // the board's first engagements, when their next item is late.
    if role == Role::Admin {
        let everyone = BoardFilter::default();
        for e in engagement_store::board(db, ws, &everyone, None, 5).await? {
            let due = Timestamp::from_millis(e.next_due_at);
            if due >= now {
                break; // the board is in next-due order: the rest is not late
            }
            if e.state != embark_core::engagements::EngagementState::Active {
                continue;
            }
            let url = format!("/engagements/{}", e.id);
            if actions.iter().any(|(_, a)| a.url.starts_with(&url)) {
                continue;
            }
            actions.push((
                Some(due),
                ActionLine {
                    title: tr.t2("home-late-elsewhere", "item", &e.next_due_title, "owner", &e.owner_name),
                    context: e.title.clone(),
                    url,
                    due: due_text(tr, Some(due), Urgency::Overdue, &tz),
                    urgency: Urgency::Overdue.as_str(),
                },
            ));
        }
    }
    actions.sort_by_cached_key(|(due, a)| order_key(*due, &a.title, now));
    let more = actions.len().saturating_sub(SHOW_ACTIONS);
    actions.truncate(SHOW_ACTIONS);

    let mine = BoardFilter { participant: Some(p.user.id), ..BoardFilter::default() };
    let mut mine = engagement_store::board(db, ws, &mine, None, 6).await?;
    // The client and the new hire see their progress counted on what is shared with them.
    crate::engagements::service::as_seen_by(&state, db, p, &mut mine).await?;
    let engagements = mine
        .into_iter()
        .map(|e| {
            let progress = Progress { closed: e.items_closed, total: e.items_total };
            EngagementLine {
                url: format!("/engagements/{}", e.id),
                date: tr.date(e.anchor_at, &tz),
                percent: progress.percent(),
                progress: tr.t2(
                    "home-progress",
                    "closed",
                    &e.items_closed.to_string(),
                    "total",
                    &e.items_total.to_string(),
                ),
                title: e.title,
            }
        })
        .collect();

    let empty_key = match role {
        Role::Admin => "home-empty-admin",
        Role::AccountManager => "home-empty-account-manager",
        Role::ClientContact => "home-empty-client",
        Role::NewHire => "home-empty-new-hire",
        Role::Manager | Role::Coach => "home-empty-manager",
    };
    let first_name = p.user.name.split_whitespace().next().unwrap_or_default().to_string();
    render(HomeTemplate {
        page: Page::signed_in(&viewer, &ctx, "home", &tr.t("home-title"), "/"),
        first_name,
        actions: actions.into_iter().map(|(_, a)| a).collect(),
        more: i64::try_from(more).unwrap_or(i64::MAX),
        engagements,
        empty_key,
        is_admin: role == Role::Admin,
    })
}

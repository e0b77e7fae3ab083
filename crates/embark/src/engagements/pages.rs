//! Engagements: the board, starting one, and working through one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::engagements::{self as engagement, EngagementState, ItemKind, ItemState, NOTHING_DUE};
use embark_core::playbooks::{Kind, Stage};
use embark_core::{EngagementId, Permission, Signal, Timestamp, WorkspaceId};
use embark_store::engagements::{BoardFilter, ItemRow};
use embark_store::{accounts::users, playbooks};
use serde::Deserialize;

use crate::engagements::service::{self as service, ItemAction, NewEngagementInput};
use crate::engagements::summary::item_title;
use crate::error::AppError;
use crate::http::paging::next_page;
use crate::http::{notice, render, render_status, urlencode, Form, FormErrors, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::playbooks::pages::role_label;
use crate::state::AppState;

pub const BOARD_PAGE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/engagements", get(board).post(create))
        .route("/engagements/new", get(new_page))
        .route("/engagements/{id}", get(show))
        .route("/engagements/{id}/items/{key}", post(act))
        .route("/engagements/{id}/override", post(override_gates))
        .route("/engagements/{id}/anchor", post(move_anchor))
        .route("/engagements/{id}/cancel", post(cancel))
        .route("/engagements/{id}/offer-signed", post(offer_signed))
}

/// The anchor's name in this language (`kickoff` → "kick-off"), or as written for a custom one.
pub fn anchor_name(tr: Tr, anchor: &str) -> String {
    let key = format!("anchor-{}", anchor.replace('_', "-"));
    let t = tr.t(&key);
    if t == key {
        anchor.replace('_', " ")
    } else {
        t
    }
}

pub struct BoardRow {
    pub id: String,
    pub title: String,
    pub subject: String,
    pub playbook: String,
    pub owner: String,
    pub percent: i64,
    pub closed: i64,
    pub total: i64,
    pub next_due: Option<String>,
    pub next_due_title: String,
    pub overdue: bool,
    pub state: String,
    pub state_key: &'static str,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "engagements/board.html")]
struct BoardTemplate {
    page: Page,
    rows: Vec<BoardRow>,
    next: Option<String>,
    playbooks: Vec<Choice>,
    owners: Vec<Choice>,
    states: Vec<Choice>,
    can_start: bool,
    filtered: bool,
    /// The reader is the client or the new hire: the board is what she takes part in.
    external: bool,
}

#[derive(Deserialize, Default)]
struct BoardQuery {
    playbook: Option<String>,
    owner: Option<String>,
    state: Option<String>,
    after: Option<String>,
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

async fn board(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let p = &viewer.principal;
    let ws = p.user.workspace_id;
    let now = state.now();
    // A filter that does not parse matches nothing rather than everything.
    let bad = || AppError::BadRequest("unknown filter".into());
    let filter = BoardFilter {
        playbook: opt(&q.playbook).map(|s| s.parse().map_err(|_| bad())).transpose()?,
        owner: opt(&q.owner).map(|s| s.parse().map_err(|_| bad())).transpose()?,
        state: opt(&q.state).map(|s| s.parse().map_err(|_| bad())).transpose()?,
        participant: None,
    };
    let after = opt(&q.after).and_then(|s| {
        let (due, id) = s.split_once('_')?;
        Some((due.parse().ok()?, id.parse().ok()?))
    });
    // One connection for the page's queries (docs/adr/0001).
    let db = &mut state.store.conn().await?;
    let mut rows = service::board(db, p, filter.clone(), after, BOARD_PAGE + 1).await?;
    service::as_seen_by(&state, db, p, &mut rows).await?;
    let next = next_page(&mut rows, BOARD_PAGE, |r| {
        let mut query = format!("after={}_{}", r.next_due_at, r.id);
        for (k, v) in [("playbook", &q.playbook), ("owner", &q.owner), ("state", &q.state)] {
            if let Some(v) = opt(v) {
                query.push_str(&format!("&{k}={}", urlencode(v)));
            }
        }
        query
    });
    let tz = &p.workspace_time_zone;
    let library = if p.user.role.can(Permission::ReadPlaybooks) { playbooks::list(db, ws).await? } else { Vec::new() };
    // Owner choices: staff names only, kept a few seconds (see `StaffNames`).
    let staff = if p.user.role.can(Permission::ViewAllEngagements) {
        state.staff_names.get(db, ws).await?
    } else {
        Default::default()
    };
    render(BoardTemplate {
        page: Page::signed_in(&viewer, &ctx, "engagements", &tr.t("engagements-title"), "/engagements"),
        rows: rows
            .into_iter()
            .map(|r| {
                let has_due = r.next_due_at != NOTHING_DUE && r.state == EngagementState::Active;
                BoardRow {
                    id: r.id.to_string(),
                    percent: if r.items_total == 0 { 100 } else { r.items_closed * 100 / r.items_total },
                    closed: r.items_closed,
                    total: r.items_total,
                    next_due: has_due.then(|| tr.datetime(Timestamp::from_millis(r.next_due_at), tz)),
                    next_due_title: r.next_due_title,
                    overdue: has_due && r.next_due_at < now.as_millis(),
                    state: tr.t(&format!("engagement-state-{}", r.state.as_str())),
                    state_key: r.state.as_str(),
                    title: r.title,
                    subject: r.subject,
                    playbook: r.playbook_title,
                    owner: r.owner_name,
                }
            })
            .collect(),
        next,
        playbooks: library
            .iter()
            .map(|b| Choice {
                value: b.id.to_string(),
                label: format!("{} ({})", b.title, b.language.code()),
                selected: opt(&q.playbook) == Some(&b.id.to_string()),
            })
            .collect(),
        owners: staff
            .iter()
            .map(|(id, name)| {
                let value = id.to_string();
                let selected = opt(&q.owner) == Some(value.as_str());
                Choice { value, label: name.clone(), selected }
            })
            .collect(),
        states: ["active", "completed", "cancelled"]
            .into_iter()
            .map(|s| Choice {
                value: s.into(),
                label: tr.t(&format!("engagement-state-{s}")),
                selected: opt(&q.state) == Some(s),
            })
            .collect(),
        can_start: p.user.role.can(Permission::RunEngagements),
        external: service::is_external(p),
        filtered: opt(&q.playbook).is_some() || opt(&q.owner).is_some() || opt(&q.state).is_some(),
    })
}

pub struct RoleField {
    pub role: String,
    pub label: String,
    pub people: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "engagements/new.html")]
struct NewTemplate {
    page: Page,
    playbooks: Vec<Choice>,
    chosen: Option<String>,
    anchor_label: String,
    roles: Vec<RoleField>,
    owners: Vec<Choice>,
    form: NewForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
struct NewQuery {
    playbook: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
struct NewForm {
    #[serde(default)]
    playbook_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    anchor: String,
    #[serde(default)]
    owner_id: String,
    /// `role:user_id` pairs from the role selects.
    #[serde(default)]
    participant: Vec<String>,
    /// "Record an engagement that already started" was ticked.
    #[serde(default)]
    record_past: bool,
}

async fn new_form(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    form: NewForm,
    errors: FormErrors,
) -> Result<NewTemplate, AppError> {
    viewer.require(Permission::RunEngagements)?;
    let tr = Tr::new(ctx.locale);
    let p = &viewer.principal;
    let ws = p.user.workspace_id;
    let library = playbooks::list(&mut state.store.db(), ws).await?;
    let chosen = library.iter().find(|b| b.id.to_string() == form.playbook_id);
    let people = users::list(&mut state.store.db(), ws, None, 500).await?;
    let mut roles = Vec::new();
    let mut anchor_label = tr.t("engagement-anchor");
    if let Some(b) = chosen {
        let loaded = crate::playbooks::service::load(state, p, b.id, None).await?;
        let name = anchor_name(tr, &loaded.playbook.anchor);
        let mut chars = name.chars();
        let capitalised: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        anchor_label = tr.t1("engagement-anchor-named", "anchor", &capitalised);
        for role in &loaded.playbook.roles {
            roles.push(RoleField {
                role: role.clone(),
                label: role_label(tr, role),
                // Only the people who may take the role (a new hire is never offered as account manager).
                people: people
                    .iter()
                    .filter(|u| u.active && embark_core::accounts::role::fits_playbook_role(role, u.role))
                    .map(|u| {
                        let value = u.id.to_string();
                        let selected = form.participant.iter().any(|pair| pair == &format!("{role}:{value}"));
                        Choice { label: format!("{} — {}", u.name, tr.role(&u.role)), value, selected }
                    })
                    .collect(),
            });
        }
    }
    Ok(NewTemplate {
        page: Page::signed_in(viewer, ctx, "engagements", &tr.t("engagement-new-title"), "/engagements/new"),
        playbooks: library
            .iter()
            .map(|b| Choice {
                value: b.id.to_string(),
                label: format!("{} ({})", b.title, b.language.code()),
                selected: b.id.to_string() == form.playbook_id,
            })
            .collect(),
        chosen: chosen.map(|b| b.id.to_string()),
        anchor_label,
        roles,
        owners: people
            .iter()
            .filter(|u| u.active && u.role.is_staff())
            .map(|u| {
                let value = u.id.to_string();
                let selected = if form.owner_id.is_empty() { u.id == p.user.id } else { form.owner_id == value };
                Choice { label: u.name.clone(), value, selected }
            })
            .collect(),
        form,
        errors,
    })
}

async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let form = NewForm { playbook_id: q.playbook.unwrap_or_default(), ..Default::default() };
    render(new_form(&state, &viewer, &ctx, form, FormErrors::default()).await?)
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    axum_extra_form: RawForm,
) -> Result<Response, AppError> {
    let form: NewForm = axum_extra_form.0;
    let input = NewEngagementInput {
        playbook_id: form.playbook_id.clone(),
        title: form.title.clone(),
        subject: form.subject.clone(),
        anchor: form.anchor.clone(),
        owner_id: Some(form.owner_id.clone()),
        participants: form
            .participant
            .iter()
            .filter_map(|pair| pair.split_once(':').map(|(r, u)| (r.to_string(), u.to_string())))
            .collect(),
        record_past: form.record_past,
    };
    match service::create(&state, &viewer.principal, input).await {
        Ok(id) => Ok(Redirect::to(&format!("/engagements/{id}?done=created")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let errors = FormErrors::from_fields(Tr::new(ctx.locale), &fields);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, new_form(&state, &viewer, &ctx, form, errors).await?)
        }
        Err(e) => Err(e),
    }
}

/// A form with repeated fields (`participant=a&participant=b`), which axum's `Form` cannot read into a `Vec`.
struct RawForm(NewForm);

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawForm {
    type Rejection = AppError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::BadRequest("unreadable form".into()))?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::BadRequest("unreadable form".into()))?;
        let mut f = NewForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "playbook_id" => f.playbook_id = v,
                "title" => f.title = v,
                "subject" => f.subject = v,
                "anchor" => f.anchor = v,
                "owner_id" => f.owner_id = v,
                "participant" if !v.ends_with(':') && !v.is_empty() => f.participant.push(v),
                "record_past" => f.record_past = v == "1",
                _ => {}
            }
        }
        Ok(RawForm(f))
    }
}

pub struct ItemView {
    pub key: String,
    pub title: String,
    pub state: &'static str,
    pub state_label: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub can_act: bool,
    pub done_info: Option<String>,
    pub reason: Option<String>,
    pub note: String,
    pub blocked_by: Vec<String>,
    pub overridden: bool,
    pub checkpoints: Vec<CheckView>,
    pub deliverable: Option<String>,
    pub timebox: Option<String>,
    pub closes_with: Option<String>,
    /// The course whose certification closes the gate, to take it.
    pub course: Option<String>,
    /// The gate waits for the signed offer, which the viewer may record here.
    pub records_offer: bool,
}

pub struct CheckView {
    pub key: String,
    pub text: String,
    pub ask_client: bool,
    pub why: String,
    /// What ticks it by itself, when a signal does.
    pub closes_with: Option<String>,
    /// What must hold for it to be ticked.
    pub condition: Option<String>,
    /// Why ticking it was just refused.
    pub error: Option<String>,
    pub done: bool,
    pub can_act: bool,
}

pub struct PhaseView {
    pub title: String,
    pub meta: Vec<String>,
    pub steps: Vec<ItemView>,
}

pub struct EventView {
    pub when: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "engagements/engagement.html")]
struct EngagementTemplate {
    page: Page,
    id: String,
    title: String,
    subject: String,
    playbook_id: String,
    playbook_title: String,
    /// The playbook is linked only for who may read it (a client may not: no dead link).
    can_read_playbook: bool,
    version: i64,
    anchor_name: String,
    anchor: String,
    anchor_input: String,
    state: String,
    percent: i64,
    closed: i64,
    total: i64,
    gates: Vec<ItemView>,
    phases: Vec<PhaseView>,
    participants: Vec<(String, String)>,
    events: Vec<EventView>,
    can_manage: bool,
    /// Still running: it can be cancelled.
    active: bool,
    can_override: bool,
    /// The reader is the client or the new hire: a prerequisite is said in her terms
    /// ("available after…"), never as something she must close.
    external: bool,
    /// A meeting playbook: the meeting page exists; with a scorecard signal, the scorecard too.
    is_meeting: bool,
    has_scorecard: bool,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    done: Option<String>,
}

/// What a gate waiting for `signal` waits for, in words: for a certification, the
/// course's title in the reader's language (or its other one).
async fn signal_text(state: &AppState, ws: WorkspaceId, tr: Tr, signal: &Signal) -> Result<String, AppError> {
    let Some(course) = signal.course() else { return Ok(tr.t(signal.message_key())) };
    let row = embark_store::learning::find_in(&mut state.store.db(), ws, course.as_str(), tr.locale).await?;
    let title = row.map(|r| r.title).unwrap_or_else(|| course.to_string());
    Ok(tr.t1(signal.message_key(), "course", &title))
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    notice: Option<&str>,
    error: Option<String>,
    item_error: Option<(&str, String)>,
) -> Result<EngagementTemplate, AppError> {
    let tr = Tr::new(ctx.locale);
    let (v, all) = service::view(state, &viewer.principal, id).await?;
    let tz = viewer.principal.workspace_time_zone.clone();
    let now = state.now();
    let item_view = |i: &ItemRow| {
        let title = item_title(&v.playbook, &i.key).unwrap_or_else(|| i.key.clone());
        let done_info = match (i.state, i.done_at) {
            (ItemState::Todo, _) | (_, None) => None,
            (_, Some(at)) => Some(match &i.done_by_name {
                Some(name) => tr.t2("engagement-closed-by", "name", name, "date", &tr.datetime(at, &tz)),
                None => tr.t1("engagement-closed-at", "date", &tr.datetime(at, &tz)),
            }),
        };
        let status = engagement::ItemStatus { key: &i.key, kind: i.kind, state: i.state, due_at: i.due_at };
        ItemView {
            key: i.key.clone(),
            state: i.state.as_str(),
            state_label: tr.t(&format!("item-state-{}", i.state.as_str())),
            owner: i.owner_role.as_ref().map(|r| role_label(tr, r)),
            due: i.due_at.map(|d| tr.datetime(d, &tz)),
            overdue: engagement::is_overdue(&status, now),
            can_act: v.access.may_act_on(i) && v.row.state != EngagementState::Cancelled,
            done_info,
            reason: i.reason.clone(),
            note: i.note.clone(),
            blocked_by: Vec::new(),
            overridden: i.overridden,
            checkpoints: Vec::new(),
            deliverable: None,
            timebox: None,
            closes_with: None,
            course: None,
            records_offer: false,
            title,
        }
    };
    let gate_title = |key: &str| item_title(&v.playbook, key).unwrap_or_else(|| key.to_string());
    // What an external reader is told a step waits for: the shared gates, and the team's as one.
    let waits_for = |key: &str| {
        if key == service::TEAM_PREPARATION {
            tr.t("engagement-gate-team")
        } else {
            gate_title(key)
        }
    };
    let mut signal_texts = std::collections::HashMap::new();
    for g in v.playbook.gates() {
        if let Some(s) = &g.signal {
            let text = signal_text(state, viewer.principal.user.workspace_id, tr, s).await?;
            signal_texts.insert(g.id.clone(), text);
        }
    }
    for s in v.playbook.checkpoints().filter_map(|c| c.signal.as_ref()) {
        let text = signal_text(state, viewer.principal.user.workspace_id, tr, s).await?;
        signal_texts.insert(format!("signal:{}", s.name()), text);
    }
    let gates = v
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Gate)
        .map(|i| {
            let mut view = item_view(i);
            let signal = v.playbook.gates().find(|g| g.id == i.key).and_then(|g| g.signal.as_ref());
            view.closes_with = signal_texts.get(&i.key).cloned();
            // The course that closes it, for those who can take it (not the client).
            view.course = signal
                .and_then(Signal::course)
                .filter(|_| viewer.principal.user.role.can(Permission::Learn))
                .map(|c| format!("/learning/{c}"));
            view.records_offer = signal == Some(&Signal::OfferSigned)
                && i.state == ItemState::Todo
                && v.access.can_manage
                && v.row.state == EngagementState::Active;
            view
        })
        .collect();
    // One lookup per item, not a scan: a page costs the size of its playbook, once.
    let item_of: std::collections::HashMap<&str, _> = v.items.iter().map(|i| (i.key.as_str(), i)).collect();
    let mut phases = Vec::new();
    for phase in v.playbook.phases() {
        let mut steps = Vec::new();
        for step in &phase.steps {
            let Some(item) = item_of.get(step.id.as_str()).copied() else { continue };
            let mut view = item_view(item);
            view.blocked_by = if item.state == ItemState::Todo {
                let open = service::gates_for(&viewer.principal, &v.playbook, v.open_gates(&step.id, &all));
                open.iter().map(|g| waits_for(g)).collect()
            } else {
                Vec::new()
            };
            view.deliverable = step.deliverable.clone();
            view.timebox = step.timebox.map(|t| t.to_string());
            view.checkpoints = step
                .checkpoints
                .iter()
                .filter_map(|c| item_of.get(c.id.as_str()).map(|i| (c, *i)))
                .map(|(c, i)| CheckView {
                    key: c.id.clone(),
                    text: c.text.clone(),
                    ask_client: c.ask_client,
                    // The reasons are the team's method, not the client's reading.
                    why: if v.external { String::new() } else { c.why.clone() },
                    closes_with: c
                        .signal
                        .as_ref()
                        .map(|s| signal_texts.get(&format!("signal:{}", s.name())).cloned().unwrap_or_default()),
                    condition: c.condition.map(|c| tr.t(c.message_key())),
                    error: item_error.as_ref().filter(|(k, _)| *k == c.id).map(|(_, m)| m.clone()),
                    done: i.state.is_closed(),
                    can_act: v.access.may_act_on(i) && v.row.state != EngagementState::Cancelled,
                })
                .collect();
            steps.push(view);
        }
        if steps.is_empty() {
            continue;
        }
        let mut meta = Vec::new();
        if let Some(t) = phase.timebox {
            meta.push(t.to_string());
        }
        if v.playbook.kind == Kind::Meeting {
            match phase.stage {
                Some(Stage::Before) => meta.push(tr.t("playbook-stage-before")),
                Some(Stage::After) => meta.push(tr.t("playbook-stage-after")),
                Some(Stage::Throughout) => meta.push(tr.t("playbook-stage-throughout")),
                _ => {}
            }
        }
        phases.push(PhaseView { title: phase.title.clone(), meta, steps });
    }
    let events = v
        .events
        .iter()
        .map(|e| {
            let item = e.item_key.as_deref().map(&gate_title).unwrap_or_default();
            let actor = e.actor_name.clone().unwrap_or_else(|| "Embark".into());
            // A gate closes by itself; a step or checkpoint is done by itself.
            let is_gate = e.item_key.as_deref().is_some_and(|k| v.playbook.gates().any(|g| g.id == k));
            let kind = if e.kind == "closed_by_signal" && !is_gate { "done_by_signal" } else { e.kind.as_str() };
            let mut text =
                tr.t_args(&format!("event-{}", kind.replace('_', "-")), &[("actor", &actor), ("item", &item)]);
            if !e.detail.is_empty() && e.kind != "anchor_moved" {
                text.push_str(" — ");
                text.push_str(&event_detail(tr, &tz, &e.kind, &e.detail));
            }
            EventView { when: tr.datetime(e.at, &tz), text }
        })
        .collect();
    let closed = v.row.items_closed;
    let total = v.row.items_total;
    let has_scorecard = v.playbook.gates().any(|g| {
        matches!(
            g.signal,
            Some(
                Signal::ScorecardSent
                    | Signal::ScorecardDueAgreed
                    | Signal::ScorecardReturned
                    | Signal::ScorecardLocked
            )
        )
    });
    Ok(EngagementTemplate {
        page: Page::signed_in(viewer, ctx, "engagements", &v.row.title, &format!("/engagements/{id}"))
            .with_notice(notice),
        id: id.to_string(),
        title: v.row.title.clone(),
        subject: v.row.subject.clone(),
        playbook_id: v.row.playbook_id.to_string(),
        can_read_playbook: viewer.principal.user.role.can(Permission::ReadPlaybooks),
        playbook_title: v.row.playbook_title.clone(),
        version: v.row.version_number,
        anchor_name: anchor_name(tr, &v.playbook.anchor),
        anchor: tr.datetime(v.row.anchor_at, &tz),
        anchor_input: crate::http::local_input(v.row.anchor_at, &tz),
        state: tr.t(&format!("engagement-state-{}", v.row.state.as_str())),
        percent: if total == 0 { 100 } else { closed * 100 / total },
        closed,
        total,
        gates,
        phases,
        participants: v.participants.iter().map(|p| (role_label(tr, &p.role), p.name.clone())).collect(),
        events,
        can_manage: v.access.can_manage,
        active: v.row.state == EngagementState::Active,
        can_override: v.access.can_override,
        external: viewer.principal.user.role.signs_in_with_link(),
        is_meeting: v.playbook.kind == Kind::Meeting,
        has_scorecard,
        error,
    })
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let notice = notice(
        q.done.as_deref(),
        &[
            ("created", "engagement-created"),
            ("saved", "engagement-saved"),
            ("anchor", "engagement-anchor-moved"),
            ("override", "engagement-overridden"),
            ("cancelled", "engagement-cancelled-notice"),
            ("offer_signed", "engagement-offer-signed-notice"),
        ],
    );
    render(page(&state, &viewer, &ctx, id, notice, None, None).await?)
}

/// An event's detail in the reader's words: what is recorded as a value (a date in
/// UTC, `on_time`, a role id, `#2`, `v2`) is said, the rest (titles, reasons) as typed.
fn event_detail(tr: Tr, tz: &str, kind: &str, detail: &str) -> String {
    match kind {
        "scorecard_sent" => match detail.parse::<jiff::Timestamp>() {
            Ok(at) => tr.t1("event-detail-due", "date", &tr.datetime(embark_core::Timestamp::from_jiff(at), tz)),
            Err(_) => detail.to_string(),
        },
        "scorecard_returned" if detail == "on_time" => tr.t("event-detail-on-time"),
        "scorecard_returned" => match detail.strip_prefix("late ").and_then(|m| m.strip_suffix(" min")) {
            Some(m) => tr.t1("event-detail-late", "late", &tr.minutes(m.parse().unwrap_or(0))),
            None => detail.to_string(),
        },
        "scorecard_signed" => tr.role_name(detail),
        "invitation_sent" => match detail.strip_prefix('#') {
            Some(n) => tr.t1("event-detail-invitation", "number", n),
            None => detail.to_string(),
        },
        // The playbook and its version: `Le kick-off v1`.
        "created" | "created_past" => match detail.rsplit_once(" v").filter(|(_, n)| n.parse::<u32>().is_ok()) {
            Some((title, n)) => format!("{title}, {}", tr.t1("scorecard-version", "number", n)),
            None => detail.to_string(),
        },
        "scorecard_rescoped" => match detail.strip_prefix('v') {
            Some(n) => tr.t1("scorecard-version", "number", n),
            None => detail.to_string(),
        },
        _ => detail.to_string(),
    }
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    /// "runner" when ticked from the meeting runner: go back there.
    #[serde(default)]
    back: String,
}

async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((id, key)): Path<(EngagementId, String)>,
    Form(form): Form<ActForm>,
) -> Result<Response, AppError> {
    let action = match form.action.as_str() {
        "done" => ItemAction::Done,
        "reopen" => ItemAction::Reopen,
        "skip" => ItemAction::Skip(form.reason),
        "note" => ItemAction::Note(form.note),
        _ => return Err(AppError::BadRequest("unknown action".into())),
    };
    let step = engagement::step_of_checkpoint(&key).to_string();
    let result = service::act(&state, &viewer.principal, id, &key, action).await;
    // A checkpoint refused for its condition says why next to it too.
    if let Err(AppError::Invalid(fields)) = &result {
        if let Some(f) = fields.iter().find(|f| f.field == "item") {
            let message = Tr::new(ctx.locale).t(f.code);
            let page = page(&state, &viewer, &ctx, id, None, Some(message.clone()), Some((&key, message))).await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
    }
    let then = if form.back == "runner" {
        format!("/engagements/{id}/runner")
    } else {
        format!("/engagements/{id}?done=saved#item-{step}")
    };
    answer(&state, &viewer, &ctx, id, result, then).await
}

/// After a change on an engagement: on to `then`, or the page again with what went wrong
/// (the open prerequisites, or the fields' messages). Nothing was written in that case.
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    result: Result<(), AppError>,
    then: String,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let (status, message) = match result {
        Ok(()) => return Ok(Redirect::to(&then).into_response()),
        Err(AppError::Blocked(gates)) => {
            let (v, _) = service::view(state, &viewer.principal, id).await?;
            let titles: Vec<String> = gates
                .iter()
                .map(|g| {
                    if g == service::TEAM_PREPARATION {
                        tr.t("engagement-gate-team")
                    } else {
                        item_title(&v.playbook, g).unwrap_or_else(|| g.clone())
                    }
                })
                .collect();
            // The client or the new hire is told when her step opens, not asked to close the firm's prerequisites.
            let key = if viewer.principal.user.role.signs_in_with_link() {
                "engagement-blocked-yours"
            } else {
                "engagement-blocked"
            };
            (StatusCode::CONFLICT, tr.t1(key, "gates", &titles.join(" · ")))
        }
        Err(AppError::Invalid(fields)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, fields.iter().map(|f| tr.t(f.code)).collect::<Vec<_>>().join(" "))
        }
        Err(e) => return Err(e),
    };
    render_status(status, page(state, viewer, ctx, id, None, Some(message), None).await?)
}

#[derive(Deserialize)]
struct OverrideForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
}

async fn override_gates(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, AppError> {
    let result = service::override_gates(&state, &viewer.principal, id, &form.step, &form.reason).await;
    answer(&state, &viewer, &ctx, id, result, format!("/engagements/{id}?done=override#item-{}", form.step)).await
}

#[derive(Deserialize)]
struct AnchorForm {
    #[serde(default)]
    anchor: String,
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(form): Form<CancelForm>,
) -> Result<Response, AppError> {
    let result = service::cancel(&state, &viewer.principal, id, &form.reason).await;
    answer(&state, &viewer, &ctx, id, result, format!("/engagements/{id}?done=cancelled")).await
}

async fn offer_signed(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
) -> Result<Response, AppError> {
    let result = service::record_offer_signed(&state, &viewer.principal, id).await;
    answer(&state, &viewer, &ctx, id, result, format!("/engagements/{id}?done=offer_signed")).await
}

async fn move_anchor(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(form): Form<AnchorForm>,
) -> Result<Response, AppError> {
    let result = service::move_anchor(&state, &viewer.principal, id, &form.anchor).await;
    answer(&state, &viewer, &ctx, id, result, format!("/engagements/{id}?done=anchor")).await
}

//! The request pages: the list (`/requests`: what I raised, what I own, or the
//! workspace's with its figures), raising one or logging one received by phone or
//! email (`/requests/new`), and one request with its thread (`/requests/{id}`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::requests::{Category, Channel, Draft, RequestKind, Status, Totals};
use embark_core::{EngagementId, FieldError, Permission, RequestId, Timestamp};
use embark_store::accounts::sessions::Principal;
use embark_store::requests::{MessageRow, RequestRow};
use serde::Deserialize;

use super::service::{self, Logged};
use super::{category_label, kind_label, what};
use crate::error::AppError;
use crate::http::paging::next_page;
use crate::http::{
    local_input, notice, render, render_status, Action, Form, FormErrors, Page, Path, RequestCtx, Viewer,
};
use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/requests", get(list_page).post(raise_post))
        .route("/requests/new", get(new_page))
        .route("/requests/{id}", get(request_page))
        .route("/requests/{id}/messages", post(reply_post))
        .route("/requests/{id}/resolve", post(resolve_post))
}

/// A request as the list and its page show it, to this reader.
pub struct RequestView {
    pub id: String,
    pub subject: String,
    /// "Complaint · Candidates".
    pub what: String,
    pub kind: &'static str,
    pub requester: String,
    pub owner: String,
    pub engagement: Option<(String, String)>,
    pub received: String,
    pub due: String,
    /// open, late, answered, resolved (a requester never reads "late").
    pub status: &'static str,
    pub status_label: String,
    /// "Logged by Inès Moreau, received by phone", for one that did not come from the portal.
    pub channel_note: Option<String>,
    pub body: String,
    pub resolution: Option<String>,
    pub resolved_note: Option<String>,
}

pub fn view(tr: Tr, tz: &str, now: Timestamp, reader: &Principal, r: &RequestRow) -> RequestView {
    let status = service::status_for(reader, r, now);
    let status_label = match status {
        Status::Resolved => tr.t("request-status-resolved"),
        Status::Answered => tr.t("request-status-answered"),
        Status::Late => tr.t1("request-status-late", "date", &tr.datetime(r.due_at, tz)),
        Status::Open if reader.user.id == r.requester_id => tr.t("request-status-waiting"),
        Status::Open => tr.t1("request-status-open", "date", &tr.datetime(r.due_at, tz)),
    };
    let channel_note = match (r.channel, &r.logged_by_name) {
        (Channel::Portal, _) => None,
        (channel, by) => Some(tr.t2(
            "request-logged",
            "person",
            by.as_deref().unwrap_or("—"),
            "channel",
            &tr.t(&format!("request-channel-{}", channel.as_str())),
        )),
    };
    RequestView {
        id: r.id.to_string(),
        subject: r.subject.clone(),
        what: what(tr, r),
        kind: r.kind.as_str(),
        requester: r.requester_name.clone(),
        owner: r.owner_name.clone(),
        engagement: r.engagement_id.zip(r.engagement_title.clone()).map(|(id, t)| (format!("/engagements/{id}"), t)),
        received: tr.datetime(r.received_at, tz),
        due: tr.datetime(r.due_at, tz),
        status: status.as_str(),
        status_label,
        channel_note,
        body: r.body.clone(),
        resolution: r.resolution.clone(),
        resolved_note: r.resolved_at.map(|at| {
            tr.t2(
                "request-resolved-by",
                "person",
                r.resolved_by_name.as_deref().unwrap_or("—"),
                "date",
                &tr.datetime(at, tz),
            )
        }),
    }
}

/// A figure of the list's head: its label, value and detail.
type Figure = (String, String, String);

fn duration(tr: Tr, ms: Option<i64>) -> String {
    ms.map(|ms| super::delay(tr, ms)).unwrap_or_else(|| "—".into())
}

pub fn figures(tr: Tr, all: &Totals, complaints: &Totals) -> Vec<Figure> {
    vec![
        (
            tr.t("request-figure-rate"),
            all.response_rate()
                .map(|p| tr.t1("request-percent", "value", &p.to_string()))
                .unwrap_or_else(|| "—".into()),
            tr.t_nums("request-figure-rate-detail", &[("on_time", all.answered_on_time), ("received", all.received)]),
        ),
        (
            tr.t("request-figure-complaint-response"),
            duration(tr, complaints.mean_first_response_ms),
            tr.t_nums(
                "request-figure-complaints",
                &[("answered", complaints.answered), ("received", complaints.received)],
            ),
        ),
        (
            tr.t("request-figure-resolution"),
            duration(tr, all.mean_resolution_ms),
            tr.t_count("request-figure-resolved", all.resolved),
        ),
    ]
}

#[derive(Template)]
#[template(path = "requests/list.html")]
struct ListTemplate {
    page: Page,
    rows: Vec<RequestView>,
    /// Whose list this is: mine (raised), owned, all.
    scope: &'static str,
    intro: String,
    empty: String,
    can_raise: bool,
    can_log: bool,
    figures: Vec<Figure>,
    /// The cursor of the older requests' page, when there are more.
    next: Option<String>,
    /// Whether this is a later page (its head links back to the newest).
    later: bool,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    done: Option<String>,
    /// The page after this cursor (the "older" link); one that does not read starts over.
    after: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let p = &viewer.principal;
    let tr = Tr::new(ctx.locale);
    let now = state.now();
    let after = q.after.as_deref().and_then(service::read_cursor);
    // One connection for the page's queries (docs/adr/0001).
    let db = &mut state.store.conn().await?;
    let mut rows = service::list(db, p, false, after, service::PAGE + 1).await?;
    let next = next_page(&mut rows, service::PAGE, service::cursor_after);
    let figures = if p.user.role.can(Permission::ViewSurveyResults) {
        let (all, complaints) = super::service::year_totals(db, p, now).await?;
        figures(tr, &all, &complaints)
    } else {
        Vec::new()
    };
    let scope = if service::may_raise(p) {
        "mine"
    } else if p.user.role == embark_core::Role::Admin {
        "all"
    } else {
        "owned"
    };
    render(ListTemplate {
        page: Page::signed_in(&viewer, &ctx, "requests", &tr.t("requests-title"), "/requests")
            .with_notice(notice(q.done.as_deref(), &[("resolved", "request-notice-resolved")])),
        rows: rows.iter().map(|r| view(tr, &p.workspace_time_zone, now, p, r)).collect(),
        scope,
        intro: tr.t(&format!("requests-intro-{scope}")),
        empty: tr.t(&format!("requests-none-{scope}")),
        can_raise: service::may_raise(p),
        can_log: service::may_log(p),
        figures,
        next,
        later: after.is_some(),
    })
}

/// What the raise form holds, as typed.
#[derive(Deserialize, Default, Clone)]
struct RaiseForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    engagement: String,
    /// Logging only: the person's email, how it came, when.
    #[serde(default)]
    requester: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    received_at: String,
}

#[derive(Template)]
#[template(path = "requests/new.html")]
struct NewTemplate {
    page: Page,
    /// Staff logging a request in someone's name.
    logging: bool,
    kinds: Vec<(&'static str, String)>,
    categories: Vec<(&'static str, String)>,
    channels: Vec<(&'static str, String)>,
    engagements: Vec<(String, String)>,
    form: RaiseForm,
    errors: FormErrors,
}

async fn new_template(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    form: RaiseForm,
    errors: &[FieldError],
) -> Result<NewTemplate, AppError> {
    let p = &viewer.principal;
    let tr = Tr::new(ctx.locale);
    let logging = !service::may_raise(p);
    let title = match (logging, form.kind.as_str()) {
        (true, _) => "request-log-title",
        (false, "complaint") => "request-new-complaint",
        (false, _) => "request-new-title",
    };
    let engagements = if logging {
        Vec::new()
    } else {
        let db = &mut state.store.db();
        service::engagements_of(db, p, p.user.id).await?.into_iter().map(|e| (e.id.to_string(), e.title)).collect()
    };
    Ok(NewTemplate {
        page: Page::signed_in(viewer, ctx, "requests", &tr.t(title), "/requests/new"),
        logging,
        kinds: RequestKind::ALL.into_iter().map(|k| (k.as_str(), kind_label(tr, k))).collect(),
        categories: Category::for_role(p.user.role).iter().map(|c| (c.as_str(), category_label(tr, *c))).collect(),
        channels: Channel::LOGGED
            .into_iter()
            .map(|c| (c.as_str(), tr.t(&format!("request-channel-{}", c.as_str()))))
            .collect(),
        engagements,
        form,
        errors: FormErrors::from_fields(tr, errors),
    })
}

#[derive(Deserialize, Default)]
struct NewQuery {
    kind: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let p = &viewer.principal;
    if !service::may_raise(p) && !service::may_log(p) {
        return Err(AppError::Forbidden);
    }
    let mut form = RaiseForm {
        kind: q.kind.filter(|k| k.parse::<RequestKind>().is_ok()).unwrap_or_else(|| "request".into()),
        ..RaiseForm::default()
    };
    if service::may_raise(p) {
        // One engagement: it is what the request is about, unless she says otherwise.
        let db = &mut state.store.db();
        if let [only] = service::engagements_of(db, p, p.user.id).await?.as_slice() {
            form.engagement = only.id.to_string();
        }
    } else {
        form.channel = Channel::Phone.as_str().into();
        form.received_at = local_input(state.now(), &p.workspace_time_zone);
    }
    render(new_template(&state, &viewer, &ctx, form, &[]).await?)
}

/// Reads the form into what the service takes; every problem at once.
async fn read(
    state: &AppState,
    p: &Principal,
    form: &RaiseForm,
) -> Result<(Draft, Option<EngagementId>, Option<Logged>), AppError> {
    let mut errors = Vec::new();
    let draft = Draft::parse(p.user.role, &form.kind, &form.category, &form.subject, &form.body)
        .map_err(|e| errors.extend(e))
        .ok();
    let engagement = match form.engagement.trim() {
        "" => None,
        id => match id.parse::<EngagementId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new("engagement", "error-request-engagement"));
                None
            }
        },
    };
    let logged = if service::may_raise(p) {
        None
    } else {
        service::read_logged(state, p, &form.requester, &form.channel, Some(&form.received_at), &mut errors).await?
    };
    match draft {
        Some(draft) if errors.is_empty() => Ok((draft, engagement, logged)),
        _ => Err(AppError::Invalid(errors)),
    }
}

async fn raise_post(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Form(form): Form<RaiseForm>,
) -> Result<Response, AppError> {
    let p = &viewer.principal;
    if !service::may_raise(p) && !service::may_log(p) {
        return Err(AppError::Forbidden);
    }
    let outcome = match read(&state, p, &form).await {
        Ok((draft, engagement, logged)) => service::raise(&state, p, draft, engagement, logged).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/requests/{id}?done=raised")).into_response()),
        Err(AppError::Invalid(errors)) => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, new_template(&state, &viewer, &ctx, form, &errors).await?)
        }
        Err(e) => Err(e),
    }
}

/// A message of the thread as the page shows it.
struct MessageView {
    author: String,
    at: String,
    body: String,
    /// Written by the reader.
    mine: bool,
}

#[derive(Template)]
#[template(path = "requests/request.html")]
struct RequestTemplate {
    page: Page,
    r: RequestView,
    messages: Vec<MessageView>,
    can_reply: bool,
    can_resolve: bool,
    message: String,
    resolution: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn request_template(
    viewer: &Viewer,
    ctx: &RequestCtx,
    now: Timestamp,
    (r, messages): (RequestRow, Vec<MessageRow>),
    typed: (String, String),
    errors: &[FieldError],
) -> RequestTemplate {
    let p = &viewer.principal;
    let tr = Tr::new(ctx.locale);
    let tz = &p.workspace_time_zone;
    let open = r.resolved_at.is_none();
    RequestTemplate {
        page: Page::signed_in(viewer, ctx, "requests", &r.subject, &format!("/requests/{}", r.id)),
        can_reply: open,
        can_resolve: open && (r.owner_id == p.user.id || p.user.role == embark_core::Role::Admin),
        messages: messages
            .iter()
            .map(|m| MessageView {
                author: m.author_name.clone(),
                at: tr.datetime(m.created_at, tz),
                body: m.body.clone(),
                mine: m.author_id == p.user.id,
            })
            .collect(),
        r: view(tr, tz, now, p, &r),
        message: typed.0,
        resolution: typed.1,
        errors: FormErrors::from_fields(tr, errors),
    }
}

async fn request_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<RequestId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let found = service::get(&state, &viewer.principal, id).await?;
    let mut t = request_template(&viewer, &ctx, state.now(), found, Default::default(), &[]);
    t.page = t.page.with_notice(notice(
        q.done.as_deref(),
        &[
            ("raised", "request-notice-raised"),
            ("replied", "request-notice-replied"),
            ("resolved", "request-notice-resolved"),
        ],
    ));
    render(t)
}

#[derive(Deserialize, Default)]
struct MessageForm {
    #[serde(default)]
    message: String,
}

async fn reply_post(a: Action<RequestId, MessageForm>) -> Result<Response, AppError> {
    match service::reply(&a.state, &a.viewer.principal, a.id, &a.form.message).await {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{}?done=replied", a.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let found = service::get(&a.state, &a.viewer.principal, a.id).await?;
            let t = request_template(&a.viewer, &a.ctx, a.state.now(), found, (a.form.message, String::new()), &errors);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
struct ResolveForm {
    #[serde(default)]
    resolution: String,
}

async fn resolve_post(a: Action<RequestId, ResolveForm>) -> Result<Response, AppError> {
    match service::resolve(&a.state, &a.viewer.principal, a.id, &a.form.resolution).await {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{}?done=resolved", a.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let found = service::get(&a.state, &a.viewer.principal, a.id).await?;
            let t =
                request_template(&a.viewer, &a.ctx, a.state.now(), found, (String::new(), a.form.resolution), &errors);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
        Err(e) => Err(e),
    }
}

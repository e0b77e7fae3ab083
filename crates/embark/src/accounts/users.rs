//! People of the workspace (admins): list, invite, change role, deactivate.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::{Locale, Permission, Role, UserId};
use embark_store::accounts::users::{self, User, UserCursor};
use serde::Deserialize;

use crate::accounts::service::{self as accounts, Invitation};
use crate::error::AppError;
use crate::http::paging::next_page;
use crate::http::{notice, render, render_status, Form, FormErrors, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;

pub const PAGE_SIZE: i64 = 50;
/// Beyond this many people the list says "1000+" instead of counting them all.
pub const COUNT_LIMIT: i64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/invite", post(invite))
        .route("/users/{id}", get(show))
        .route("/users/{id}/role", post(change_role))
        .route("/users/{id}/active", post(set_active))
        .route("/users/{id}/resend", post(resend))
        .route("/users/{id}/certifications", post(certify))
        .route("/users/{id}/courses", post(assign_course))
}

/// What an admin typed in the page's forms, kept when it is refused.
#[derive(Default)]
struct Typed<'a> {
    expires_on: &'a str,
    reason: &'a str,
    course: &'a str,
    due_on: &'a str,
}

/// A course assigned to the person, as their page lists it.
pub struct CourseLine {
    pub key: String,
    pub text: String,
}

pub struct RoleOption {
    pub value: &'static str,
    pub label: String,
}

fn role_options(tr: Tr) -> Vec<RoleOption> {
    Role::ALL.iter().map(|r| RoleOption { value: r.as_str(), label: tr.role(r) }).collect()
}

pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub pending: bool,
}

impl UserRow {
    fn new(u: &User, tr: Tr) -> Self {
        UserRow {
            id: u.id.to_string(),
            name: u.name.clone(),
            email: u.email.clone(),
            role: tr.role(&u.role),
            active: u.active,
            // Staff who have not chosen a password yet.
            pending: u.role.is_staff() && !u.has_password,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/users.html")]
struct UsersTemplate {
    page: Page,
    rows: Vec<UserRow>,
    total: i64,
    next: Option<String>,
    roles: Vec<RoleOption>,
    form: InviteForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    after: Option<String>,
    done: Option<String>,
}

/// The keyset cursor in a URL: `name_key|id`.
fn parse_cursor(s: &str) -> Option<UserCursor> {
    let (name_key, id) = s.rsplit_once('|')?;
    Some(UserCursor { name_key: name_key.to_string(), id: id.parse().ok()? })
}

fn format_cursor(c: &UserCursor) -> String {
    format!("{}|{}", c.name_key, c.id)
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    after: Option<&str>,
) -> Result<(Vec<UserRow>, i64, Option<String>), AppError> {
    let tr = Tr::new(ctx.locale);
    let ws = viewer.principal.user.workspace_id;
    let cursor = after.and_then(parse_cursor);
    // One connection for the page's queries (docs/adr/0001).
    let db = &mut state.store.conn().await?;
    let mut people = users::list(db, ws, cursor.as_ref(), PAGE_SIZE + 1).await?;
    let next = next_page(&mut people, PAGE_SIZE, |u| crate::http::urlencode(&format_cursor(&UserCursor::after(u))));
    let total = users::count_up_to(db, ws, COUNT_LIMIT + 1).await?;
    Ok((people.iter().map(|u| UserRow::new(u, tr)).collect(), total, next))
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ManageUsers)?;
    let tr = Tr::new(ctx.locale);
    let (rows, total, next) = list_page(&state, &viewer, &ctx, q.after.as_deref()).await?;
    let notice = notice(q.done.as_deref(), &[("invited", "users-invited")]);
    render(UsersTemplate {
        page: Page::signed_in(&viewer, &ctx, "users", &tr.t("users-title"), "/users").with_notice(notice),
        rows,
        total,
        next,
        roles: role_options(tr),
        form: InviteForm { locale: ctx.locale.code().to_string(), role: "client_contact".into(), ..Default::default() },
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize, Default)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    locale: String,
}

async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ManageUsers)?;
    let input = Invitation {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role.clone(),
        locale: Some(form.locale.clone()),
    };
    match accounts::invite(&state, &viewer.principal, input).await {
        Ok(_) => Ok(Redirect::to("/users?done=invited").into_response()),
        Err(AppError::Invalid(fields)) => {
            let tr = Tr::new(ctx.locale);
            let (rows, total, next) = list_page(&state, &viewer, &ctx, None).await?;
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                UsersTemplate {
                    page: Page::signed_in(&viewer, &ctx, "users", &tr.t("users-title"), "/users"),
                    rows,
                    total,
                    next,
                    roles: role_options(tr),
                    form,
                    errors: FormErrors::from_fields(tr, &fields),
                },
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "accounts/user.html")]
struct UserTemplate {
    page: Page,
    user: UserRow,
    role_value: String,
    locale: String,
    created: String,
    roles: Vec<RoleOption>,
    errors: FormErrors,
    is_self: bool,
    can_resend: bool,
    certifications: Vec<CertificationRow>,
    is_staff: bool,
    /// What the admin typed in the certification form, kept when it is refused.
    typed_expires_on: String,
    typed_reason: String,
    courses: Vec<CourseLine>,
    /// Every course that can be assigned: (key, title, selected).
    course_options: Vec<(String, String, bool)>,
    typed_due_on: String,
}

pub struct CertificationRow {
    pub valid: bool,
    pub text: String,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn user_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: UserId,
    notice: Option<&str>,
    errors: FormErrors,
    typed: &Typed<'_>,
) -> Result<(StatusCode, UserTemplate), AppError> {
    let tr = Tr::new(ctx.locale);
    let user =
        users::get(&mut state.store.db(), viewer.principal.user.workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let status = if errors.any() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let tz = &viewer.principal.workspace_time_zone;
    let now = state.now();
    let certifications =
        embark_store::accounts::certifications::of_user(&mut state.store.db(), viewer.principal.user.workspace_id, id)
            .await?
            .into_iter()
            .map(|c| {
                use embark_store::accounts::certifications::Source;
                let valid = c.granted_at <= now && c.expires_at > now;
                let key = match (valid, c.source) {
                    (true, Source::Course) => "user-certification-valid-exam",
                    (false, Source::Course) => "user-certification-expired-exam",
                    (true, Source::Override) => "user-certification-valid",
                    (false, Source::Override) => "user-certification-expired",
                };
                let by = c.granted_by_name.unwrap_or_else(|| "Embark".into());
                let mut text = tr.t_args(
                    key,
                    &[
                        ("granted", &tr.date(c.granted_at, tz)),
                        // Valid until the end of its last day: show that day.
                        ("expires", &tr.date(c.expires_at.plus_millis(-1), tz)),
                        ("by", &by),
                    ],
                );
                if let Some(reason) = c.reason.filter(|r| !r.is_empty()) {
                    text.push_str(" — ");
                    text.push_str(&reason);
                }
                CertificationRow { valid, text }
            })
            .collect();
    let (assigned, course_options) =
        crate::learning::service::assignments(state, &viewer.principal, id, ctx.locale).await?;
    let courses = assigned
        .into_iter()
        .map(|c| {
            let progress = tr.t_nums("learning-progress", &[("done", c.done as i64), ("total", c.total as i64)]);
            let text = match c.due_at {
                Some(at) => tr.t_args(
                    "user-course-line-due",
                    &[("course", &c.title), ("progress", &progress), ("date", &tr.date(at.plus_millis(-1), tz))],
                ),
                None => tr.t_args("user-course-line", &[("course", &c.title), ("progress", &progress)]),
            };
            CourseLine { key: c.key, text }
        })
        .collect();
    Ok((
        status,
        UserTemplate {
            page: Page::signed_in(viewer, ctx, "users", &user.name, &format!("/users/{id}")).with_notice(notice),
            role_value: user.role.as_str().to_string(),
            locale: Locale::native_name(user.locale).to_string(),
            created: tr.datetime(user.created_at, &viewer.principal.workspace_time_zone),
            roles: role_options(tr),
            errors,
            is_self: user.id == viewer.principal.user.id,
            can_resend: user.active && (user.role.signs_in_with_link() || !user.has_password),
            certifications,
            is_staff: user.role.is_staff(),
            typed_expires_on: typed.expires_on.trim().to_string(),
            typed_reason: typed.reason.to_string(),
            courses,
            course_options: course_options
                .into_iter()
                .map(|(key, title)| {
                    let selected = key == typed.course;
                    (key, title, selected)
                })
                .collect(),
            typed_due_on: typed.due_on.trim().to_string(),
            user: UserRow::new(&user, tr),
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<UserId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ManageUsers)?;
    let notice = notice(
        q.done.as_deref(),
        &[
            ("role", "user-role-changed"),
            ("deactivated", "user-deactivated"),
            ("reactivated", "user-reactivated"),
            ("resent", "user-link-resent"),
            ("certified", "user-certification-recorded"),
            ("course", "user-course-assigned"),
        ],
    );
    let (status, t) = user_page(&state, &viewer, &ctx, id, notice, FormErrors::default(), &Typed::default()).await?;
    render_status(status, t)
}

/// After a change: back to the person's page, or the page again with the error.
async fn after_change(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: UserId,
    result: Result<User, AppError>,
    done: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let (status, t) = user_page(
                state,
                viewer,
                ctx,
                id,
                None,
                FormErrors::from_fields(Tr::new(ctx.locale), &fields),
                &Typed::default(),
            )
            .await?;
            render_status(status, t)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<UserId>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let result = accounts::change_role(&state, &viewer.principal, id, &form.role).await;
    after_change(&state, &viewer, &ctx, id, result, "role").await
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: String,
}

async fn set_active(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<UserId>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    let active = match form.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("active must be 0 or 1".into())),
    };
    let result = accounts::set_active(&state, &viewer.principal, id, active).await;
    after_change(&state, &viewer, &ctx, id, result, if active { "reactivated" } else { "deactivated" }).await
}

async fn resend(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<UserId>,
) -> Result<Response, AppError> {
    let result = accounts::resend_link(&state, &viewer.principal, id).await;
    after_change(&state, &viewer, &ctx, id, result, "resent").await
}

#[derive(Deserialize)]
struct CertifyForm {
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    reason: String,
}

/// Records the scorecard certification by hand (admins), an override with its reason:
/// the gates waiting for it close.
async fn certify(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<UserId>,
    Form(form): Form<CertifyForm>,
) -> Result<Response, AppError> {
    let result = accounts::certify(&state, &viewer.principal, id, &form.expires_on, &form.reason).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?done=certified")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let (status, t) = user_page(
                &state,
                &viewer,
                &ctx,
                id,
                None,
                FormErrors::from_fields(Tr::new(ctx.locale), &fields),
                &Typed { expires_on: &form.expires_on, reason: &form.reason, ..Typed::default() },
            )
            .await?;
            render_status(status, t)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    course: String,
    #[serde(default)]
    due_on: String,
}

/// Assigns a course to the person (admins): it shows on their home until complete.
async fn assign_course(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<UserId>,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    match crate::learning::service::assign(&state, &viewer.principal, id, form.course.trim(), &form.due_on).await {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?done=course")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let typed = Typed { course: form.course.trim(), due_on: &form.due_on, ..Typed::default() };
            let (status, t) = user_page(
                &state,
                &viewer,
                &ctx,
                id,
                None,
                FormErrors::from_fields(Tr::new(ctx.locale), &fields),
                &typed,
            )
            .await?;
            render_status(status, t)
        }
        Err(e) => Err(e),
    }
}

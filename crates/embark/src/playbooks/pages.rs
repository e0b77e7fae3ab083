//! The playbook library: list, import, read as an article, edit, versions and diffs, export.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::diff::{diff_lines, DiffLine};
use embark_core::playbooks::{Diagnostic, Kind, Playbook, Section, Stage};
use embark_core::{Permission, PlaybookId};
use embark_store::playbooks;
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{notice, render, render_status, Form, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::markdown::to_html;
use crate::playbooks::service::{self as service, ImportError, Imported};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/playbooks", get(library))
        .route("/playbooks/import", post(import))
        .route("/playbooks/{id}", get(article))
        .route("/playbooks/{id}/edit", get(edit_page).post(save))
        .route("/playbooks/{id}/versions", get(versions))
        .route("/playbooks/{id}/export", get(export))
        .route("/playbooks/{id}/feedback", post(feedback))
}

pub struct LibraryRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub language: String,
    pub version: i64,
    pub builtin: bool,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "playbooks/library.html")]
struct LibraryTemplate {
    page: Page,
    rows: Vec<LibraryRow>,
    can_edit: bool,
    can_run: bool,
    source: String,
    key: String,
    diagnostics: Vec<String>,
    key_error: bool,
}

async fn library_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    notice: Option<&str>,
) -> Result<LibraryTemplate, AppError> {
    viewer.require(Permission::ReadPlaybooks)?;
    let tr = Tr::new(ctx.locale);
    let p = &viewer.principal;
    let rows = playbooks::list(&mut state.store.db(), p.user.workspace_id).await?;
    Ok(LibraryTemplate {
        page: Page::signed_in(viewer, ctx, "playbooks", &tr.t("playbooks-title"), "/playbooks").with_notice(notice),
        rows: rows
            .into_iter()
            .map(|r| LibraryRow {
                id: r.id.to_string(),
                kind: tr.t(&format!("playbook-kind-{}", r.kind)),
                language: r.language.native_name().to_string(),
                version: r.latest_version,
                builtin: r.builtin,
                updated: tr.datetime(r.updated_at, &p.workspace_time_zone),
                title: r.title,
            })
            .collect(),
        can_edit: p.user.role.can(Permission::EditPlaybooks),
        can_run: p.user.role.can(Permission::RunEngagements),
        source: String::new(),
        key: String::new(),
        diagnostics: Vec::new(),
        key_error: false,
    })
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn library(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = notice(q.done.as_deref(), &[("unchanged", "playbook-unchanged")]);
    render(library_page(&state, &viewer, &ctx, notice).await?)
}

#[derive(Deserialize)]
struct ImportForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    key: String,
}

/// `LINE:COL: message` lines for a form.
fn diagnostic_lines(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(|d| d.to_string()).collect()
}

async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    let key = Some(form.key.as_str()).filter(|k| !k.trim().is_empty());
    match service::import_as(&state, &viewer.principal, key, &normalise(&form.source)).await {
        Ok(out) if out.what == Imported::Unchanged => Ok(Redirect::to("/playbooks?done=unchanged").into_response()),
        Ok(out) => Ok(Redirect::to(&format!("/playbooks/{}?done={}", out.playbook, out.what.as_str())).into_response()),
        Err(ImportError::Other(e)) => Err(e),
        Err(e) => {
            let mut t = library_page(&state, &viewer, &ctx, None).await?;
            match e {
                ImportError::Invalid(d) => t.diagnostics = diagnostic_lines(&d),
                _ => t.key_error = true,
            }
            t.source = form.source;
            t.key = form.key;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
    }
}

/// Browsers send text areas with CRLF line ends; documents are stored with LF.
fn normalise(source: &str) -> String {
    source.replace("\r\n", "\n")
}

/// A playbook prepared for the article template.
pub struct ArticleView {
    pub title: String,
    pub summary: Option<String>,
    pub reading_minutes: u32,
    pub meta: Vec<String>,
    pub intro_html: String,
    pub sections: Vec<ArticleSection>,
}

pub struct ArticleSection {
    pub id: String,
    pub title: String,
    /// "criteria", "prerequisites" or "phase".
    pub kind: &'static str,
    pub meta: Vec<String>,
    pub intro_html: String,
    pub blocks: Vec<ArticleBlock>,
}

pub struct ArticleBlock {
    pub id: String,
    pub title: String,
    pub meta: Vec<String>,
    /// A success criterion: what measures it, linked to where it is read when the
    /// reader may read it ("Measured by: Client NPS"), or that Embark does not yet.
    pub measured: Option<(String, Option<String>)>,
    pub body_html: String,
    pub checkpoints: Vec<ArticleCheckpoint>,
}

pub struct ArticleCheckpoint {
    pub text: String,
    pub ask_client: bool,
    pub why: String,
}

pub fn role_label(tr: Tr, role: &str) -> String {
    tr.role_name(role)
}

/// Where Embark computes a criterion's measure: the label of the figure and the page
/// that shows it (its card on the indicators dashboard, the kick-offs' quality view),
/// or `None` for a measure it does not compute yet.
pub fn measured_at(measure: &str) -> Option<(String, String)> {
    let indicator = |key: &str| Some((format!("indicator-{key}"), format!("/indicators#indicator-{key}")));
    let quality = |key: &str| Some((format!("quality-{key}"), "/kickoffs".to_string()));
    match measure {
        "nps" => indicator("client_nps"),
        "enps" => indicator("enps"),
        "on_time" => indicator("meetings_on_time"),
        "progress" => indicator("onboarding_progress"),
        "response_rate" => indicator("response_rate_to_clients"),
        "complaint_response_time" => indicator("complaint_first_response"),
        "acknowledgement_delay" => indicator("report_acknowledgement_delay"),
        "clarity" => quality("clarity"),
        "relationship" => quality("relationship"),
        "follow_through" => quality("follow-through"),
        _ => None,
    }
}

fn measured_line(tr: Tr, measure: &str, reads_results: bool) -> (String, Option<String>) {
    match measured_at(measure) {
        Some((key, href)) => (tr.t1("playbook-measured-by", "figure", &tr.t(&key)), reads_results.then_some(href)),
        None => (tr.t("playbook-measured-not-yet"), None),
    }
}

pub fn article_view(pb: &Playbook, tr: Tr, reads_results: bool) -> ArticleView {
    let mut sections = Vec::new();
    for s in &pb.sections {
        match s {
            Section::Criteria { title, intro, criteria } => sections.push(ArticleSection {
                id: "criteria".into(),
                title: title.clone(),
                kind: "criteria",
                meta: Vec::new(),
                intro_html: to_html(intro),
                blocks: criteria
                    .iter()
                    .map(|c| ArticleBlock {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        meta: c.target.iter().map(|t| tr.t1("playbook-target", "target", t)).collect(),
                        measured: c.measure.as_deref().map(|m| measured_line(tr, m, reads_results)),
                        body_html: to_html(&c.body),
                        checkpoints: Vec::new(),
                    })
                    .collect(),
            }),
            Section::Prerequisites { title, intro, gates } => sections.push(ArticleSection {
                id: "prerequisites".into(),
                title: title.clone(),
                kind: "prerequisites",
                meta: Vec::new(),
                intro_html: to_html(intro),
                blocks: gates
                    .iter()
                    .map(|g| ArticleBlock {
                        id: g.id.clone(),
                        title: g.title.clone(),
                        measured: None,
                        meta: g
                            .owner
                            .iter()
                            .map(|o| tr.t1("playbook-owner", "role", &role_label(tr, o)))
                            .chain(g.due.iter().map(|d| tr.t1("playbook-due", "due", &d.to_string())))
                            .collect(),
                        body_html: to_html(&g.body),
                        checkpoints: Vec::new(),
                    })
                    .collect(),
            }),
            Section::Phase(p) => {
                let mut meta = Vec::new();
                if let Some(t) = p.timebox {
                    meta.push(t.to_string());
                }
                match p.stage {
                    Some(Stage::Before) => meta.push(tr.t("playbook-stage-before")),
                    Some(Stage::After) => meta.push(tr.t("playbook-stage-after")),
                    Some(Stage::Throughout) => meta.push(tr.t("playbook-stage-throughout")),
                    _ => {}
                }
                sections.push(ArticleSection {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    kind: "phase",
                    meta,
                    intro_html: to_html(&p.body),
                    blocks: p
                        .steps
                        .iter()
                        .map(|s| {
                            let mut meta = Vec::new();
                            if let Some(t) = s.timebox {
                                meta.push(t.to_string());
                            }
                            if let Some(o) = &s.owner {
                                meta.push(tr.t1("playbook-owner", "role", &role_label(tr, o)));
                            }
                            if let Some(d) = &s.due {
                                meta.push(tr.t1("playbook-due", "due", &d.to_string()));
                            }
                            if let Some(d) = &s.deliverable {
                                meta.push(tr.t1("playbook-deliverable", "deliverable", d));
                            }
                            ArticleBlock {
                                id: s.id.clone(),
                                title: s.title.clone(),
                                meta,
                                measured: None,
                                body_html: to_html(&s.body),
                                checkpoints: s
                                    .checkpoints
                                    .iter()
                                    .map(|c| ArticleCheckpoint {
                                        text: c.text.clone(),
                                        ask_client: c.ask_client,
                                        why: c.why.clone(),
                                    })
                                    .collect(),
                            }
                        })
                        .collect(),
                });
            }
        }
    }
    let mut meta = vec![tr.t(&format!("playbook-kind-{}", pb.kind.as_str()))];
    if let (Kind::Meeting, Some(d)) = (pb.kind, pb.duration) {
        meta.push(d.to_string());
    }
    ArticleView {
        title: pb.title.clone(),
        summary: pb.summary.clone(),
        reading_minutes: pb.reading_minutes(),
        meta,
        intro_html: to_html(&pb.intro),
        sections,
    }
}

#[derive(Template)]
#[template(path = "playbooks/playbook.html")]
struct ArticleTemplate {
    page: Page,
    id: String,
    a: ArticleView,
    version: i64,
    latest: i64,
    can_edit: bool,
    can_run: bool,
    my_feedback: Option<bool>,
    helpful: i64,
    not_helpful: i64,
}

#[derive(Deserialize, Default)]
struct ArticleQuery {
    version: Option<i64>,
    done: Option<String>,
}

async fn article(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<PlaybookId>,
    Query(q): Query<ArticleQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let loaded = service::load(&state, &viewer.principal, id, q.version).await?;
    let p = &viewer.principal;
    let ws = p.user.workspace_id;
    let (helpful, not_helpful) = playbooks::feedback_counts(&mut state.store.db(), ws, id).await?;
    let notice = notice(
        q.done.as_deref(),
        &[
            ("created", "playbook-created"),
            ("new_version", "playbook-new-version"),
            ("feedback", "playbook-feedback-thanks"),
        ],
    );
    render(ArticleTemplate {
        page: Page::signed_in(&viewer, &ctx, "playbooks", &loaded.playbook.title, &format!("/playbooks/{id}"))
            .with_notice(notice),
        id: id.to_string(),
        a: article_view(&loaded.playbook, tr, p.user.role.can(Permission::ViewSurveyResults)),
        version: loaded.version.number,
        latest: loaded.row.latest_version,
        can_edit: p.user.role.can(Permission::EditPlaybooks),
        can_run: p.user.role.can(Permission::RunEngagements),
        my_feedback: playbooks::feedback_of(&mut state.store.db(), ws, id, p.user.id).await?,
        helpful,
        not_helpful,
    })
}

#[derive(Deserialize)]
struct FeedbackForm {
    #[serde(default)]
    helpful: String,
}

async fn feedback(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PlaybookId>,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ReadPlaybooks)?;
    let ws = viewer.principal.user.workspace_id;
    playbooks::get(&mut state.store.db(), ws, id).await?.ok_or(AppError::NotFound)?;
    let helpful = match form.helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest("helpful must be yes or no".into())),
    };
    playbooks::set_feedback(&mut state.store.db(), ws, id, viewer.principal.user.id, helpful, state.now()).await?;
    Ok(Redirect::to(&format!("/playbooks/{id}?done=feedback#feedback")).into_response())
}

#[derive(Template)]
#[template(path = "playbooks/edit.html")]
struct EditTemplate {
    page: Page,
    id: String,
    title: String,
    version: i64,
    source: String,
    diagnostics: Vec<String>,
}

async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<PlaybookId>,
) -> Result<Response, AppError> {
    viewer.require(Permission::EditPlaybooks)?;
    let loaded = service::load(&state, &viewer.principal, id, None).await?;
    let source = loaded.version.source.clone();
    render(edit_template(&viewer, &ctx, &loaded, source, Vec::new()))
}

/// The editor, with the document shown and the problems found in it, if any.
fn edit_template(
    viewer: &Viewer,
    ctx: &RequestCtx,
    loaded: &service::Loaded,
    source: String,
    diagnostics: Vec<String>,
) -> EditTemplate {
    let tr = Tr::new(ctx.locale);
    let id = loaded.row.id;
    EditTemplate {
        page: Page::signed_in(
            viewer,
            ctx,
            "playbooks",
            &tr.t1("playbook-edit-title", "title", &loaded.row.title),
            &format!("/playbooks/{id}/edit"),
        ),
        id: id.to_string(),
        title: loaded.row.title.clone(),
        version: loaded.version.number,
        source,
        diagnostics,
    }
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    source: String,
}

/// Saves an edit as a new version of the same playbook (same key, same language).
async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<PlaybookId>,
    Form(form): Form<SaveForm>,
) -> Result<Response, AppError> {
    viewer.require(Permission::EditPlaybooks)?;
    let loaded = service::load(&state, &viewer.principal, id, None).await?;
    let source = normalise(&form.source);
    let tr = Tr::new(ctx.locale);
    let failed = |diagnostics: Vec<String>| edit_template(&viewer, &ctx, &loaded, form.source.clone(), diagnostics);
    // The language decides which playbook a document belongs to: an edit may not move it to another one.
    match embark_core::playbooks::parse(&source) {
        Ok(pb) if pb.language != loaded.row.language => {
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, failed(vec![tr.t("playbook-edit-language")]));
        }
        Err(d) => return render_status(StatusCode::UNPROCESSABLE_ENTITY, failed(diagnostic_lines(&d))),
        Ok(_) => {}
    }
    match service::import_as(&state, &viewer.principal, Some(&loaded.row.key), &source).await {
        Ok(out) => Ok(Redirect::to(&format!("/playbooks/{}?done={}", out.playbook, out.what.as_str())).into_response()),
        Err(ImportError::Invalid(d)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, failed(diagnostic_lines(&d))),
        Err(ImportError::BadKey) => {
            Err(AppError::Internal(anyhow::anyhow!("stored key {} is invalid", loaded.row.key)))
        }
        Err(ImportError::Other(e)) => Err(e),
    }
}

pub struct DiffRow {
    /// "same", "added" or "removed".
    pub kind: &'static str,
    pub text: String,
}

pub struct VersionView {
    pub number: i64,
    pub created: String,
    pub hash: String,
    /// The diff against the previous version, around the changed lines.
    pub diff: Vec<DiffRow>,
    pub changes: usize,
}

#[derive(Template)]
#[template(path = "playbooks/versions.html")]
struct VersionsTemplate {
    page: Page,
    id: String,
    title: String,
    versions: Vec<VersionView>,
}

async fn versions(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<PlaybookId>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ReadPlaybooks)?;
    let tr = Tr::new(ctx.locale);
    let ws = viewer.principal.user.workspace_id;
    let row = playbooks::get(&mut state.store.db(), ws, id).await?.ok_or(AppError::NotFound)?;
    let all = playbooks::versions(&mut state.store.db(), ws, id).await?;
    let mut views = Vec::new();
    for (i, v) in all.iter().enumerate() {
        let previous = all.get(i + 1).map(|p| p.source.as_str()).unwrap_or("");
        let diff: Vec<(&'static str, String)> = diff_lines(previous, &v.source)
            .into_iter()
            .map(|l| match l {
                DiffLine::Same(s) => ("same", s.to_string()),
                DiffLine::Added(s) => ("added", s.to_string()),
                DiffLine::Removed(s) => ("removed", s.to_string()),
            })
            .collect();
        let changes = diff.iter().filter(|(k, _)| *k != "same").count();
        // Show the changed lines with two lines of context.
        let keep: Vec<bool> = (0..diff.len())
            .map(|j| (j.saturating_sub(2)..(j + 3).min(diff.len())).any(|k| diff[k].0 != "same"))
            .collect();
        let diff =
            diff.into_iter().zip(keep).filter(|(_, k)| *k).map(|((kind, text), _)| DiffRow { kind, text }).collect();
        views.push(VersionView {
            number: v.number,
            created: tr.datetime(v.created_at, &viewer.principal.workspace_time_zone),
            hash: v.content_hash.chars().take(12).collect(),
            diff,
            changes,
        });
    }
    render(VersionsTemplate {
        page: Page::signed_in(
            &viewer,
            &ctx,
            "playbooks",
            &tr.t1("playbook-versions-title", "title", &row.title),
            &format!("/playbooks/{id}/versions"),
        ),
        id: id.to_string(),
        title: row.title,
        versions: views,
    })
}

#[derive(Deserialize, Default)]
struct ExportQuery {
    version: Option<i64>,
}

/// The document exactly as imported, as a Markdown file.
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<PlaybookId>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let loaded = service::load(&state, &viewer.principal, id, q.version).await?;
    let file = format!("{}.{}.v{}.md", loaded.row.key, loaded.row.language.code(), loaded.version.number);
    Ok((
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        loaded.version.source,
    )
        .into_response())
}

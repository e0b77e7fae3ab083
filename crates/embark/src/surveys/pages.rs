//! The survey pages: answering from the emailed link (`/s/{token}`, no sign-in),
//! the workspace's surveys (`/surveys`) and one survey's results (`/surveys/{id}`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use embark_core::{FieldError, Locale, SurveyId, SurveySendId};
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{render, render_status, Form, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::surveys::service::{self as service, LinkStatus, OpenSend, Results};
use crate::surveys::{nps_figure, question, signed, title};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{token}", get(answer_page).post(answer_post))
        .route("/surveys/sends/{id}", get(own_page).post(own_post))
        .route("/surveys", get(list_page))
        .route("/surveys/{id}", get(results_page))
        .route("/surveys/followups", get(followups_page))
        .route("/surveys/followups/{id}", get(followup_page).post(followup_post))
}

#[derive(Template)]
#[template(path = "surveys/answer.html")]
struct AnswerTemplate {
    page: Page,
    /// Where the form posts: the emailed link, or the signed-in person's own send.
    action: String,
    /// open, answered, expired, unknown
    state: &'static str,
    name: String,
    engagement: String,
    question: String,
    anonymous: bool,
    /// The scores of the scale, lowest first, and the words at each end.
    scale: Vec<u8>,
    low_label: String,
    high_label: String,
    /// What the person typed, kept when the answer is refused.
    score: String,
    comment: String,
    score_error: Option<String>,
    comment_error: Option<String>,
    /// Set when a second submission found it answered already.
    already: bool,
}

fn answer_template(
    ctx: &RequestCtx,
    action: &str,
    status: &LinkStatus,
    typed: (&str, &str),
    errors: &[FieldError],
    already: bool,
) -> (StatusCode, AnswerTemplate) {
    let tr = Tr::new(ctx.locale);
    let (code, state, open): (StatusCode, &'static str, Option<&OpenSend>) = match status {
        LinkStatus::Open(o) => (StatusCode::OK, "open", Some(o)),
        LinkStatus::Answered(o) => (StatusCode::OK, "answered", Some(o)),
        LinkStatus::Expired => (StatusCode::GONE, "expired", None),
        LinkStatus::Unknown => (StatusCode::NOT_FOUND, "unknown", None),
    };
    let error_of = |field: &str| errors.iter().find(|e| e.field == field).map(|e| tr.t(e.code));
    let (scale, low_label, high_label) = match open.map(|o| o.survey.kind.scale()) {
        Some((low, high)) if high == 5 => ((low..=high).collect(), tr.t("survey-csat-low"), tr.t("survey-csat-high")),
        Some((low, high)) => ((low..=high).collect(), tr.t("survey-nps-low"), tr.t("survey-nps-high")),
        None => (Vec::new(), String::new(), String::new()),
    };
    let page_title = match open {
        Some(o) => title(&o.survey, ctx.locale).to_string(),
        None => tr.t(&format!("survey-link-{state}-title")),
    };
    (
        if errors.is_empty() { code } else { StatusCode::UNPROCESSABLE_ENTITY },
        AnswerTemplate {
            page: Page::anonymous(tr, ctx, &page_title),
            action: action.to_string(),
            state,
            name: open.map(|o| o.person.name.clone()).unwrap_or_default(),
            engagement: open.map(|o| o.engagement_title.clone()).unwrap_or_default(),
            question: open.map(|o| question(&o.survey, ctx.locale).to_string()).unwrap_or_default(),
            anonymous: open.is_some_and(|o| o.survey.anonymous),
            scale,
            low_label,
            high_label,
            score: typed.0.trim().to_string(),
            comment: typed.1.to_string(),
            score_error: error_of("score"),
            comment_error: error_of("comment"),
            already,
        },
    )
}

/// The page follows the person's language (the link's owner), not the browser's.
fn ctx_for(ctx: RequestCtx, status: &LinkStatus) -> RequestCtx {
    let locale: Option<Locale> = match status {
        LinkStatus::Open(o) | LinkStatus::Answered(o) => Some(o.person.locale),
        _ => None,
    };
    match locale {
        Some(locale) if !ctx.locale_chosen => RequestCtx { locale, ..ctx },
        _ => ctx,
    }
}

async fn answer_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let status = service::link(&state, &token).await?;
    let ctx = ctx_for(ctx, &status);
    let (code, t) = answer_template(&ctx, &format!("/s/{token}"), &status, ("", ""), &[], false);
    render_status(code, t)
}

#[derive(Deserialize, Default)]
struct AnswerForm {
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

async fn answer_post(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let status = service::link(&state, &token).await?;
    let ctx = ctx_for(ctx, &status);
    submit(&state, &ctx, &format!("/s/{token}"), status, &form).await
}

/// Answers an open send, or says why it cannot be: answered, expired or unknown,
/// recording nothing.
async fn submit(
    state: &AppState,
    ctx: &RequestCtx,
    action: &str,
    status: LinkStatus,
    form: &AnswerForm,
) -> Result<Response, AppError> {
    let LinkStatus::Open(open) = &status else {
        let already = matches!(status, LinkStatus::Answered(_));
        let (code, t) = answer_template(ctx, action, &status, ("", ""), &[], already);
        return render_status(code, t);
    };
    match service::answer(state, open, &form.score, &form.comment).await {
        Ok(true) => Ok(Redirect::to(action).into_response()),
        Ok(false) => {
            let answered = LinkStatus::Answered(Box::new(OpenSend {
                send: open.send.clone(),
                survey: open.survey.clone(),
                person: open.person.clone(),
                engagement_title: open.engagement_title.clone(),
            }));
            let (code, t) = answer_template(ctx, action, &answered, ("", ""), &[], true);
            render_status(code, t)
        }
        Err(AppError::Invalid(errors)) => {
            let (code, t) = answer_template(ctx, action, &status, (&form.score, &form.comment), &errors, false);
            render_status(code, t)
        }
        Err(e) => Err(e),
    }
}

async fn own_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<SurveySendId>,
) -> Result<Response, AppError> {
    let status = service::own_send(&state, &viewer.principal, id).await?;
    if matches!(status, LinkStatus::Unknown) {
        return Err(AppError::NotFound);
    }
    let (code, t) = answer_template(&ctx, &format!("/surveys/sends/{id}"), &status, ("", ""), &[], false);
    render_status(code, t)
}

async fn own_post(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<SurveySendId>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let status = service::own_send(&state, &viewer.principal, id).await?;
    if matches!(status, LinkStatus::Unknown) {
        return Err(AppError::NotFound);
    }
    submit(&state, &ctx, &format!("/surveys/sends/{id}"), status, &form).await
}

/// A survey as the list shows it.
struct SurveyLine {
    id: String,
    title: String,
    kind: String,
    anonymous: bool,
    value: String,
    detail: String,
    response: String,
}

#[derive(Template)]
#[template(path = "surveys/list.html")]
struct ListTemplate {
    page: Page,
    surveys: Vec<SurveyLine>,
}

/// "12 of 20 answered (60 %)", or "none sent yet".
fn response_rate(tr: Tr, sent: i64, answered: i64) -> String {
    if sent == 0 {
        return tr.t("survey-none-sent");
    }
    let percent = (answered * 100 + sent / 2) / sent;
    tr.t_nums("survey-response-rate", &[("answered", answered), ("sent", sent), ("percent", percent)])
}

async fn list_page(State(state): State<AppState>, viewer: Viewer, ctx: RequestCtx) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let mut lines = Vec::new();
    for s in service::list(&state, &viewer.principal).await? {
        let r = service::results(&state, &viewer.principal, s.id, None, None).await?;
        let (value, detail) = figure(tr, &r);
        lines.push(SurveyLine {
            id: s.id.to_string(),
            title: title(&s, ctx.locale).to_string(),
            kind: tr.t(&format!("survey-kind-{}", s.kind.as_str())),
            anonymous: s.anonymous,
            value,
            detail,
            response: response_rate(tr, r.sent, r.answered),
        });
    }
    render(ListTemplate {
        page: Page::signed_in(&viewer, &ctx, "surveys", &tr.t("surveys-title"), "/surveys"),
        surveys: lines,
    })
}

/// The score and its detail, or the counts only when the results are withheld.
fn figure(tr: Tr, r: &Results) -> (String, String) {
    if r.suppressed {
        let min = service::MIN_GROUP.to_string();
        let answers = tr.t_count("survey-answers", i64::from(r.summary.answers));
        return ("—".into(), format!("{answers}, {}", tr.t1("survey-suppressed", "min", &min)));
    }
    nps_figure(tr, &r.summary)
}

#[derive(Deserialize, Default)]
struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
    segment: Option<String>,
}

/// One bar of the distribution chart.
struct Bar {
    score: u8,
    count: i64,
    /// Height in the chart's units (0–100).
    height: i64,
    /// promoter, passive or detractor.
    category: &'static str,
}

/// One month of the trend.
struct MonthLine {
    month: String,
    answers: u32,
    value: String,
    interval: String,
    /// The chart's coordinates: x of the month, y of the score and of the band.
    x: i64,
    y: Option<i64>,
    band: Option<(i64, i64)>,
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsTemplate {
    page: Page,
    id: String,
    question: String,
    anonymous: bool,
    is_nps: bool,
    value: String,
    detail: String,
    response: String,
    from: String,
    to: String,
    from_error: Option<String>,
    to_error: Option<String>,
    bars: Vec<Bar>,
    months: Vec<MonthLine>,
    /// The trend's polyline points and band polygon (SVG), when two months have a score.
    line: String,
    band: String,
    /// The change's value ("−12 points") and whether it is significant, in words.
    change: Option<(String, String)>,
    suppressed: Option<String>,
    comments: Vec<(String, String, String)>,
    /// The segment filter: (value, label with its count, selected).
    segments: Vec<(String, String, bool)>,
}

/// The y of a score (−100..=100) in a chart 100 high, +100 at the top.
fn y_of(points: f64) -> i64 {
    ((100.0 - points) / 2.0).round() as i64
}

async fn results_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<SurveyId>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let mut errors = Vec::new();
    // An empty field of the form is a month not given.
    let from = q.from.as_deref().filter(|s| !s.trim().is_empty());
    let to = q.to.as_deref().filter(|s| !s.trim().is_empty());
    let (period, period_errors) = service::period(from, to, state.now());
    errors.extend(period_errors);
    let segment = q.segment.as_deref();
    let r = match service::results(&state, &viewer.principal, id, Some(period), segment).await {
        Err(AppError::Invalid(e)) => {
            errors.extend(e);
            service::results(&state, &viewer.principal, id, None, segment).await?
        }
        other => other?,
    };
    let error_of = |field: &str| errors.iter().find(|e| e.field == field).map(|e| tr.t(e.code));
    let (value, detail) = figure(tr, &r);
    let max = r.distribution.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let bars = r
        .distribution
        .iter()
        .map(|&(score, count)| Bar {
            score,
            count,
            height: count * 100 / max,
            category: r.survey.kind.category(score).as_str(),
        })
        .collect();
    let step = if r.months.len() > 1 { 600 / (r.months.len() as i64 - 1) } else { 0 };
    let months: Vec<MonthLine> = r
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| MonthLine {
            month: tr.month(&m.month),
            answers: m.summary.answers,
            value: m.summary.score.map(signed).unwrap_or_else(|| "—".into()),
            interval: m
                .summary
                .ci95
                .map(|c| tr.t2("survey-range", "low", &signed(c.low), "high", &signed(c.high)))
                .unwrap_or_default(),
            x: 20 + i as i64 * step,
            y: m.summary.score.map(y_of),
            band: m.summary.ci95.map(|c| (y_of(c.high), y_of(c.low))),
        })
        .collect();
    let scored: Vec<&MonthLine> = months.iter().filter(|m| m.y.is_some()).collect();
    let (line, band) = if scored.len() >= 2 {
        let line = scored.iter().map(|m| format!("{},{}", m.x, m.y.unwrap_or(50))).collect::<Vec<_>>().join(" ");
        let top = scored.iter().filter_map(|m| m.band.map(|b| format!("{},{}", m.x, b.0)));
        let bottom = scored.iter().rev().filter_map(|m| m.band.map(|b| format!("{},{}", m.x, b.1)));
        (line, top.chain(bottom).collect::<Vec<_>>().join(" "))
    } else {
        (String::new(), String::new())
    };
    let change = r.change.map(|c| {
        let key = if c.significant { "survey-change-significant" } else { "survey-change-not-significant" };
        let n = c.delta.round().abs() as i64;
        (format!("{} {}", signed(c.delta), tr.t_count("survey-points", n)), tr.t(key))
    });
    let comments = r
        .comments
        .iter()
        .map(|c| {
            (
                c.score.map(|s| s.to_string()).unwrap_or_default(),
                c.comment.clone().unwrap_or_default(),
                match (&c.user_name, r.survey.anonymous) {
                    (Some(name), false) => format!("{name} · {}", tr.date(c.answered_at, &tz)),
                    _ => tr.date(c.answered_at, &tz),
                },
            )
        })
        .collect();
    let survey_title = title(&r.survey, ctx.locale).to_string();
    let t = ResultsTemplate {
        page: Page::signed_in(&viewer, &ctx, "surveys", &survey_title, &format!("/surveys/{id}")),
        id: id.to_string(),
        question: question(&r.survey, ctx.locale).to_string(),
        anonymous: r.survey.anonymous,
        is_nps: r.survey.kind.is_nps(),
        value,
        detail,
        response: response_rate(tr, r.sent, r.answered),
        from: q.from.clone().filter(|_| error_of("from").is_some()).unwrap_or(r.from_month.clone()),
        to: q.to.clone().filter(|_| error_of("to").is_some()).unwrap_or(r.to_month.clone()),
        from_error: error_of("from"),
        to_error: error_of("to"),
        bars,
        months,
        line,
        band,
        change,
        suppressed: r.suppressed.then(|| tr.t1("survey-suppressed", "min", &service::MIN_GROUP.to_string())),
        comments,
        segments: r
            .segments
            .iter()
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, n)| {
                let label = format!("{s} ({})", tr.t_count("survey-answers", *n));
                (s.clone(), label, r.segment.as_deref() == Some(s.as_str()))
            })
            .collect(),
    };
    if errors.is_empty() {
        render(t)
    } else {
        render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
    }
}

/// A follow-up as its page and the list show it.
struct FollowUpView {
    id: String,
    person: String,
    score: String,
    comment: String,
    engagement: String,
    engagement_url: String,
    owner: String,
    opened: String,
    due: String,
    /// open, late, answered
    status: &'static str,
    status_label: String,
    response: Option<String>,
}

fn followup_view(
    tr: Tr,
    tz: &str,
    now: embark_core::Timestamp,
    f: &embark_store::surveys::FollowUpRow,
) -> FollowUpView {
    let status = match (f.responded_at, now > f.due_at) {
        (Some(_), _) => "answered",
        (None, true) => "late",
        (None, false) => "open",
    };
    let status_label = match f.responded_at {
        Some(at) => {
            let minutes = (at.as_millis() - f.opened_at.as_millis()) / 60_000;
            tr.t2(
                "followup-answered-after",
                "name",
                f.responded_by_name.as_deref().unwrap_or("—"),
                "delay",
                &tr.minutes(minutes),
            )
        }
        None => tr.t(&format!("followup-status-{status}")),
    };
    FollowUpView {
        id: f.id.to_string(),
        person: f.person_name.clone().unwrap_or_else(|| "—".into()),
        score: f.score.map(|s| s.to_string()).unwrap_or_default(),
        comment: f.comment.clone().unwrap_or_default(),
        engagement: f.engagement_title.clone(),
        engagement_url: format!("/engagements/{}", f.engagement_id),
        owner: f.owner_name.clone(),
        opened: tr.datetime(f.opened_at, tz),
        due: tr.datetime(f.due_at, tz),
        status,
        status_label,
        response: f.response.clone(),
    }
}

#[derive(Template)]
#[template(path = "surveys/followups.html")]
struct FollowUpsTemplate {
    page: Page,
    rows: Vec<FollowUpView>,
    /// The response figures: answered within target / all, mean first response.
    figures: Vec<(String, String, String)>,
}

async fn followups_page(State(state): State<AppState>, viewer: Viewer, ctx: RequestCtx) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let now = state.now();
    let rows = service::followups(&state, &viewer.principal).await?;
    let since = now.plus_millis(-365 * 86_400_000);
    let (opened, answered, on_time, mean) =
        embark_store::surveys::followup_totals(&mut state.store.db(), viewer.principal.user.workspace_id, since)
            .await?;
    let rate = if opened > 0 { format!("{}\u{a0}%", on_time * 100 / opened) } else { "—".into() };
    let figures = vec![
        (
            tr.t("followup-figure-on-time"),
            rate,
            tr.t_nums("followup-figure-on-time-detail", &[("on_time", on_time), ("opened", opened)]),
        ),
        (
            tr.t("followup-figure-mean"),
            mean.map(|ms| tr.minutes(ms / 60_000)).unwrap_or_else(|| "—".into()),
            tr.t_count("followup-figure-answered", answered),
        ),
    ];
    render(FollowUpsTemplate {
        page: Page::signed_in(&viewer, &ctx, "surveys", &tr.t("followups-title"), "/surveys/followups"),
        rows: rows.iter().map(|f| followup_view(tr, &tz, now, f)).collect(),
        figures,
    })
}

#[derive(Template)]
#[template(path = "surveys/followup.html")]
struct FollowUpTemplate {
    page: Page,
    f: FollowUpView,
    response: String,
    response_error: Option<String>,
}

async fn followup_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<embark_core::SurveyFollowUpId>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let f = service::followup(&state, &viewer.principal, id).await?;
    let view = followup_view(tr, &viewer.principal.workspace_time_zone, state.now(), &f);
    render(FollowUpTemplate {
        page: Page::signed_in(&viewer, &ctx, "surveys", &tr.t("followup-title"), &format!("/surveys/followups/{id}")),
        f: view,
        response: String::new(),
        response_error: None,
    })
}

#[derive(Deserialize, Default)]
struct ResponseForm {
    #[serde(default)]
    response: String,
}

async fn followup_post(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<embark_core::SurveyFollowUpId>,
    Form(form): Form<ResponseForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    match service::respond(&state, &viewer.principal, id, &form.response).await {
        Ok(()) => Ok(Redirect::to(&format!("/surveys/followups/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let f = service::followup(&state, &viewer.principal, id).await?;
            let view = followup_view(tr, &viewer.principal.workspace_time_zone, state.now(), &f);
            let t = FollowUpTemplate {
                page: Page::signed_in(
                    &viewer,
                    &ctx,
                    "surveys",
                    &tr.t("followup-title"),
                    &format!("/surveys/followups/{id}"),
                ),
                f: view,
                response: form.response.clone(),
                response_error: errors.first().map(|e| tr.t(e.code)),
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
        Err(e) => Err(e),
    }
}

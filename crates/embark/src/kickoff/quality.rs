//! The quality of each kick-off: its four signals, and the workspace's view of every kick-off.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use embark_core::kickoff::Signal;
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{render, Page, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::meeting::service::{self as service, MeetingView};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/kickoffs", get(kickoffs))
}

pub struct SignalView {
    pub label: String,
    pub signal: &'static str,
    pub value: String,
}

fn signal_label(tr: Tr, s: Signal) -> String {
    tr.t(&format!("signal-level-{}", s.as_str()))
}

pub fn quality_views(tr: Tr, v: &MeetingView) -> Vec<SignalView> {
    signal_views(tr, &v.quality(), v.nps().map(|f| f.score), v.open_questions)
}

/// The four signals as the panel and the workspace view show them.
fn signal_views(tr: Tr, q: &embark_core::kickoff::Quality, nps: Option<i64>, open_questions: i64) -> Vec<SignalView> {
    vec![
        SignalView {
            label: tr.t("quality-nps"),
            signal: q.nps.as_str(),
            value: nps.map(|n| format!("{n}/10")).unwrap_or_else(|| signal_label(tr, q.nps)),
        },
        SignalView {
            label: tr.t("quality-clarity"),
            signal: q.clarity.as_str(),
            value: tr.t_count("quality-open-questions", open_questions),
        },
        SignalView {
            label: tr.t("quality-relationship"),
            signal: q.relationship.as_str(),
            value: signal_label(tr, q.relationship),
        },
        SignalView {
            label: tr.t("quality-follow-through"),
            signal: q.follow_through.as_str(),
            value: if q.steps_due > 0 {
                tr.t2("quality-kept", "kept", &q.steps_kept.to_string(), "due", &q.steps_due.to_string())
            } else {
                signal_label(tr, q.follow_through)
            },
        },
    ]
}

pub struct KickoffRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub starts: String,
    pub signals: Vec<SignalView>,
}

#[derive(Template)]
#[template(path = "kickoff/quality.html")]
struct KickoffsTemplate {
    page: Page,
    rows: Vec<KickoffRow>,
    headers: Vec<String>,
    next: Option<String>,
    /// The workspace's figures: (label, value, detail).
    figures: Vec<(String, String, String)>,
}

/// The workspace's kick-off figures: NPS with its interval, acknowledgement delay, meetings on time.
fn figures(tr: Tr, t: &embark_store::kickoff::meetings::Totals) -> Vec<(String, String, String)> {
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let nps = embark_core::surveys::nps::from_counts(count(t.promoters), count(t.passives), count(t.detractors));
    let (nps_value, nps_detail) = crate::surveys::nps_figure(tr, &nps);
    let ack = t.mean_ack_ms.map(|ms| tr.minutes((ms + 30_000) / 60_000)).unwrap_or_else(|| "—".into());
    let on_time = if t.ended > 0 { format!("{} %", t.ended_on_time * 100 / t.ended) } else { "—".into() };
    vec![
        (tr.t("kickoffs-nps"), nps_value, nps_detail),
        (tr.t("kickoffs-ack-delay"), ack, tr.t_count("kickoffs-reports", t.acknowledged)),
        (tr.t("kickoffs-on-time"), on_time, tr.t_count("kickoffs-meetings", t.ended)),
    ]
}

#[derive(Deserialize, Default)]
struct KickoffsQuery {
    after: Option<String>,
}

pub const KICKOFFS_PAGE: i64 = 50;

/// The workspace's kick-offs with their four quality signals, latest first, a page at a time.
async fn kickoffs(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<KickoffsQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let after = q.after.as_deref().and_then(|s| {
        let (at, id) = s.split_once('_')?;
        Some((embark_core::Timestamp::from_millis(at.parse().ok()?), id.parse().ok()?))
    });
    let mut board = service::quality_board(&state, &viewer.principal, after, KICKOFFS_PAGE + 1).await?;
    let next = crate::http::paging::next_page(&mut board.rows, KICKOFFS_PAGE, |(r, _)| {
        format!("after={}_{}", r.starts_at.as_millis(), r.engagement_id)
    });
    let rows = board
        .rows
        .iter()
        .map(|(r, quality)| KickoffRow {
            id: r.engagement_id.to_string(),
            title: r.title.clone(),
            owner: r.owner_name.clone(),
            starts: tr.datetime(r.starts_at, &tz),
            signals: signal_views(tr, quality, r.nps, r.open_questions),
        })
        .collect();
    let totals = board.totals;
    render(KickoffsTemplate {
        page: Page::signed_in(&viewer, &ctx, "engagements", &tr.t("kickoffs-title"), "/kickoffs"),
        figures: figures(tr, &totals),
        rows,
        headers: vec![
            tr.t("quality-nps"),
            tr.t("quality-clarity"),
            tr.t("quality-relationship"),
            tr.t("quality-follow-through"),
        ],
        next,
    })
}

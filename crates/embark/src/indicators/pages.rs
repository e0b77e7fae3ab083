//! `/indicators`: the dashboard of a period, and `/indicators.csv`, the same figures
//! for a spreadsheet.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::service::{self, Indicators, Row};
use crate::error::AppError;
use crate::http::{render, render_status, FormErrors, Page, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/indicators", get(dashboard)).route("/indicators.csv", get(dashboard_csv))
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One figure of the dashboard, in the reader's words.
struct Card {
    /// The indicator's stable key: the card's anchor (`#indicator-enps`).
    key: &'static str,
    label: String,
    value: String,
    detail: String,
    url: Option<String>,
}

struct Section {
    title: String,
    cards: Vec<Card>,
}

/// Which section shows an indicator, and where its details are.
fn place(key: &str, i: &Indicators) -> (&'static str, Option<String>) {
    let survey = |f: &Option<service::SurveyFigure>| f.as_ref().map(|f| format!("/surveys/{}", f.id));
    match key {
        "client_nps" => ("clients", survey(&i.client_nps)),
        "response_rate_to_clients" | "complaint_first_response" | "request_resolution" => {
            ("clients", Some("/requests".into()))
        }
        "report_acknowledgement_delay" | "meetings_on_time" => ("kickoffs", Some("/kickoffs".into())),
        "enps" => ("employees", survey(&i.enps)),
        _ => ("onboarding", Some("/engagements".into())),
    }
}

fn card(tr: Tr, row: &Row, i: &Indicators, url: Option<String>) -> Card {
    let label = tr.t(&format!("indicator-{}", row.key));
    let detail_key = format!("indicator-{}-detail", row.key);
    let (value, detail) = match row.unit {
        "points" => {
            let figure = if row.key == "enps" { &i.enps } else { &i.client_nps };
            let none = embark_core::surveys::nps::from_counts(0, 0, 0);
            let summary = figure.as_ref().map(|f| f.summary.clone()).unwrap_or(none);
            let (value, detail) = crate::surveys::nps_figure(tr, &summary);
            match figure {
                Some(f) if f.suppressed => {
                    (tr.t("indicator-withheld-value"), tr.t_count("indicator-withheld", i64::from(summary.answers)))
                }
                _ => (value, detail),
            }
        }
        unit => {
            let value = match (unit, row.value) {
                (_, None) => "—".to_string(),
                ("percent", Some(v)) => tr.t1("request-percent", "value", &format!("{v:.0}")),
                ("hours", Some(h)) => crate::requests::delay(tr, (h * 3_600_000.0) as i64),
                (_, Some(v)) => format!("{v:.0}"),
            };
            (value, tr.t_count(&detail_key, row.base))
        }
    };
    Card { key: row.key, label, value, detail, url }
}

fn sections(tr: Tr, i: &Indicators) -> Vec<Section> {
    let mut out: Vec<(&'static str, Section)> = ["clients", "kickoffs", "employees", "onboarding"]
        .into_iter()
        .map(|s| (s, Section { title: tr.t(&format!("indicators-section-{s}")), cards: Vec::new() }))
        .collect();
    for row in i.rows() {
        let (section, url) = place(row.key, i);
        if let Some((_, s)) = out.iter_mut().find(|(k, _)| *k == section) {
            s.cards.push(card(tr, &row, i, url));
        }
    }
    out.into_iter().map(|(_, s)| s).collect()
}

#[derive(Template)]
#[template(path = "indicators/dashboard.html")]
struct DashboardTemplate {
    page: Page,
    from: String,
    to: String,
    period: String,
    sections: Vec<Section>,
    errors: FormErrors,
    csv: String,
}

async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let page = Page::signed_in(&viewer, &ctx, "indicators", &tr.t("indicators-title"), "/indicators");
    match service::indicators(&state, &viewer.principal, q.from.as_deref(), q.to.as_deref()).await {
        Ok(i) => render(DashboardTemplate {
            page,
            period: tr.t2("indicators-period", "from", &tr.month(&i.from_month), "to", &tr.month(&i.to_month)),
            csv: format!("/indicators.csv?from={}&to={}", i.from_month, i.to_month),
            sections: sections(tr, &i),
            from: i.from_month,
            to: i.to_month,
            errors: FormErrors::default(),
        }),
        Err(AppError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            DashboardTemplate {
                page,
                from: q.from.unwrap_or_default(),
                to: q.to.unwrap_or_default(),
                period: String::new(),
                sections: Vec::new(),
                errors: FormErrors::from_fields(tr, &errors),
                csv: String::new(),
            },
        ),
        Err(e) => Err(e),
    }
}

/// The same rows as the API, for a spreadsheet: UTF-8 with a BOM, CRLF, raw values.
async fn dashboard_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    use embark_core::csv::{write_row, BOM};
    let i = service::indicators(&state, &viewer.principal, q.from.as_deref(), q.to.as_deref()).await?;
    let mut out = String::from(BOM);
    write_row(&mut out, ',', &["indicator", "from", "to", "value", "unit", "low", "high", "base", "suppressed"]);
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in i.rows() {
        write_row(
            &mut out,
            ',',
            &[
                r.key.to_string(),
                i.from_month.clone(),
                i.to_month.clone(),
                num(r.value),
                r.unit.to_string(),
                num(r.low),
                num(r.high),
                r.base.to_string(),
                r.suppressed.to_string(),
            ],
        );
    }
    let name = format!("attachment; filename=\"indicators-{}-{}.csv\"", i.from_month, i.to_month);
    let p = &viewer.principal;
    let period = format!("{} – {}", i.from_month, i.to_month);
    embark_store::audit::record_alone(
        &state.store,
        p.user.workspace_id,
        Some(p.user.id),
        "export.indicators",
        &period,
        state.now(),
    )
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], out)
        .into_response())
}

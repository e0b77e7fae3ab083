//! One error type for the web layer. Pages render it as a localised HTML page
//! (see `web::error_pages`), the API as `application/problem+json`. Unexpected
//! failures are logged with their cause and shown as a generic message.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use embark_core::FieldError;
use serde::Serialize;

use crate::i18n::Tr;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Does not exist, or is not yours (the two are never told apart).
    #[error("not found")]
    NotFound,
    /// Yours to see but not to do.
    #[error("forbidden")]
    Forbidden,
    /// Not signed in.
    #[error("unauthenticated")]
    Unauthenticated,
    /// A form posted without a valid CSRF token.
    #[error("csrf token missing or invalid")]
    Csrf,
    #[error("too many attempts")]
    /// Too many attempts: may try again in this many seconds (`Retry-After`).
    RateLimited { retry_after_secs: u64 },
    /// A step that cannot start while these prerequisites are open.
    #[error("blocked by open prerequisites {0:?}")]
    Blocked(Vec<String>),
    /// Input that does not parse, with a message key per field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A JSON body with a field missing, unknown or of the wrong type (the field is
    /// named by its path in the body).
    #[error("invalid field {field}: {code}")]
    BadField { field: String, code: &'static str },
    /// A playbook document that does not parse: every problem with its position.
    #[error("invalid document")]
    InvalidDocument(Vec<embark_core::playbooks::Diagnostic>),
    /// A CSV file with problems: every one with its line and column; nothing imported.
    #[error("invalid csv")]
    InvalidCsv(Vec<embark_core::playbooks::Diagnostic>),
    /// A body that is not what the endpoint reads (malformed JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request is right but the state does not allow it now (no attempt left, an
    /// attempt already submitted): the message key says why.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<embark_store::StoreError> for AppError {
    fn from(e: embark_store::StoreError) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Blocked(_) | AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_)
            | AppError::BadField { .. }
            | AppError::InvalidDocument(_)
            | AppError::InvalidCsv(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable problem type (the last segment of its `type` URI) and message key.
    fn kind(&self) -> &'static str {
        match self {
            AppError::NotFound => "not-found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Csrf => "csrf",
            AppError::RateLimited { .. } => "rate-limited",
            AppError::Blocked(_) => "gate-open",
            AppError::Invalid(_)
            | AppError::BadField { .. }
            | AppError::InvalidDocument(_)
            | AppError::InvalidCsv(_) => "validation",
            AppError::BadRequest(_) => "bad-request",
            AppError::Conflict(_) => "conflict",
            AppError::Internal(_) => "internal",
        }
    }

    fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = format!("{e:#}"), "request failed");
        }
    }
}

/// Marks a response as an error page to be rendered by `web::error_pages`,
/// which knows the visitor's language.
#[derive(Clone, Copy, Debug)]
pub struct ErrorPage {
    pub kind: &'static str,
}

impl AppError {
    /// A refusal for too many attempts says when to try again.
    pub fn retry_after(&self, res: &mut Response) {
        if let AppError::RateLimited { retry_after_secs } = self {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after_secs));
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorPage { kind: self.kind() });
        self.retry_after(&mut res);
        res
    }
}

/// The API's view of an [`AppError`]: RFC 9457 problem details.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, stable across versions.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For validation problems: one entry per field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// The field, as named in the request body.
    pub field: String,
    /// A stable code, e.g. `error-email-invalid`.
    pub code: String,
    /// The message in English.
    pub message: String,
    /// For documents: where the problem is (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub col: Option<usize>,
}

/// Field errors that do not say the request is malformed but that the current state of
/// what it acts on refuses it now (an engagement cancelled, a request resolved, a report
/// already sent, an address already taken): the same request may succeed another time.
/// The API answers them 409 Conflict, with the same `errors`; the pages show them next
/// to their field like any other.
pub const STATE_CODES: &[&str] = &[
    "error-checkpoint-guess-open",
    "error-course-inactive",
    "error-email-taken",
    "error-engagement-cancelled",
    "error-engagement-not-active",
    "error-followup-answered",
    "error-last-admin",
    "error-meeting-early",
    "error-meeting-lock-first",
    "error-meeting-logistics-locked",
    "error-meeting-not-running",
    "error-meeting-started",
    "error-next-step-closed",
    "error-next-steps-not-sent",
    "error-next-steps-report-sent",
    "error-offer-nothing-waits",
    "error-report-not-ready",
    "error-report-sent",
    "error-request-resolved",
    "error-scorecard-already-rescoped",
    "error-scorecard-locked",
    "error-scorecard-not-locked",
    "error-scorecard-not-sent",
    "error-scorecard-objections-open",
    "error-user-inactive",
];

/// The API's status: a refusal by state alone is a conflict (see [`STATE_CODES`]).
fn api_status(err: &AppError) -> StatusCode {
    match err {
        AppError::Invalid(fields) if !fields.is_empty() && fields.iter().all(|f| STATE_CODES.contains(&f.code)) => {
            StatusCode::CONFLICT
        }
        other => other.status(),
    }
}

/// A problem answer for a page's own script (the live scorecard), which keeps 409 for an
/// edit conflict and reads every other refusal as a 422 next to its field.
#[derive(Debug)]
pub struct ScriptError(pub AppError);

impl<E: Into<AppError>> From<E> for ScriptError {
    fn from(e: E) -> Self {
        ScriptError(e.into())
    }
}

impl IntoResponse for ScriptError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        problem_response(self.0, status)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = api_status(&self.0);
        problem_response(self.0, status)
    }
}

fn problem_response(err: AppError, status: StatusCode) -> Response {
    err.log();
    let tr = Tr::new(embark_core::Locale::En);
    let detail = match &err {
        AppError::Invalid(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
            format!("invalid value for: {}", names.join(", "))
        }
        AppError::BadField { field, .. } => format!("invalid value for: {field}"),
        AppError::InvalidDocument(d) | AppError::InvalidCsv(d) => {
            format!("the document has {} problem(s); nothing was imported", d.len())
        }
        AppError::Blocked(gates) => {
            let gates: Vec<&str> = gates
                .iter()
                .map(|g| if g == embark_core::engagements::TEAM_PREPARATION { "the team's preparation" } else { g })
                .collect();
            format!("this step waits for open prerequisites: {}", gates.join(", "))
        }
        AppError::BadRequest(msg) => msg.clone(),
        AppError::Conflict(key) => tr.t(key),
        other => tr.t(&format!("problem-{}", other.kind())),
    };
    let errors = match &err {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| ProblemField {
                field: f.field.to_string(),
                code: f.code.to_string(),
                message: tr.t(f.code),
                line: None,
                col: None,
            })
            .collect(),
        AppError::BadField { field, code } => {
            vec![ProblemField {
                field: field.clone(),
                code: code.to_string(),
                message: tr.t(code),
                line: None,
                col: None,
            }]
        }
        AppError::InvalidDocument(diags) => diags
            .iter()
            .map(|d| ProblemField {
                field: "source".into(),
                code: "error-playbook-syntax".into(),
                message: d.message.clone(),
                line: Some(d.line),
                col: Some(d.col),
            })
            .collect(),
        AppError::InvalidCsv(diags) => diags
            .iter()
            .map(|d| ProblemField {
                field: "body".into(),
                code: "error-csv-row".into(),
                message: d.message.clone(),
                line: Some(d.line),
                col: Some(d.col),
            })
            .collect(),
        _ => Vec::new(),
    };
    let kind = if status != err.status() { "conflict" } else { err.kind() };
    let problem = Problem {
        kind: format!("https://embark.dev/problems/{kind}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut res = (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    err.retry_after(&mut res);
    res
}

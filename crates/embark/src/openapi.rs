//! The OpenAPI document of `/api/v1`, assembled from each capability's operations.

use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(openapi))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Embark API", version = "1", description = "Onboarding for clients and new employees. Authenticate with a personal API token: `Authorization: Bearer emb_…` (create one on your account page)."),
    paths(
        crate::accounts::api::me, crate::accounts::api::list_users, crate::accounts::api::invite_user,
        crate::playbooks::api::list_playbooks, crate::playbooks::api::get_playbook, crate::playbooks::api::export_playbook, crate::playbooks::api::import_playbook,
        crate::engagements::api::list_engagements, crate::engagements::api::create_engagement, crate::engagements::api::get_engagement, crate::engagements::api::update_item, crate::engagements::api::cancel_engagement, crate::engagements::api::record_offer_signed,
        crate::kickoff::api::get_scorecard, crate::kickoff::api::put_field, crate::kickoff::api::get_kickoff,
        crate::kickoff::api::list_next_steps, crate::kickoff::api::accept_all_next_steps, crate::kickoff::api::accept_next_step, crate::kickoff::api::complete_homework,
        crate::kickoff::api::put_next_step, crate::kickoff::api::delete_next_step, crate::kickoff::api::start_meeting,
        crate::surveys::api::list_surveys, crate::surveys::api::survey_results, crate::surveys::api::import_answers,
        crate::learning::api::list_courses, crate::learning::api::get_course, crate::learning::api::export_course, crate::learning::api::import_course,
        crate::learning::api::start_attempt, crate::learning::api::get_attempt, crate::learning::api::submit_attempt,
        crate::learning::api::assign_course,
        crate::requests::api::list_requests, crate::requests::api::create_request, crate::requests::api::get_request,
        crate::requests::api::add_message, crate::requests::api::resolve_request,
        crate::indicators::api::get_indicators,
    ),
    components(schemas(
        crate::accounts::api::UserView, crate::accounts::api::UserPage, crate::accounts::api::NewUserBody,
        crate::playbooks::api::PlaybookView, crate::playbooks::api::PlaybookDetail, crate::playbooks::api::VersionView, crate::playbooks::api::ImportResult,
        crate::engagements::api::EngagementView, crate::engagements::api::BoardPage, crate::engagements::api::NewEngagementBody, crate::engagements::api::ParticipantBody,
        crate::engagements::api::EngagementDetail, crate::engagements::api::ItemView, crate::engagements::api::ItemUpdate, crate::engagements::api::Cancellation,
        crate::kickoff::api::ScorecardState, crate::kickoff::api::FieldState, crate::kickoff::api::FieldWrite, crate::kickoff::api::FieldWritten,
        crate::kickoff::api::KickoffState, crate::kickoff::api::Signal, crate::kickoff::api::NextStepView, crate::kickoff::api::NextStepsAccepted, crate::kickoff::api::NextStepBody, crate::kickoff::api::MeetingStart,
        crate::surveys::api::SurveyView, crate::surveys::api::SurveyResults, crate::surveys::api::MonthResults, crate::surveys::api::Interval, crate::surveys::api::ImportedAnswers,
        crate::learning::api::CourseView, crate::learning::api::CourseDetail, crate::learning::api::ModuleView, crate::learning::api::QuizRules,
        crate::learning::api::CourseImported, crate::learning::api::AttemptState, crate::learning::api::QuestionView, crate::learning::api::OptionView,
        crate::learning::api::AnswersBody, crate::learning::api::AnswerBody, crate::learning::api::AttemptGrade,
        crate::learning::api::AssignmentBody, crate::learning::api::Assigned,
        crate::requests::api::RequestView, crate::requests::api::RequestPage, crate::requests::api::MessageView,
        crate::requests::api::RequestThread,
        crate::requests::api::NewRequestBody, crate::requests::api::CreatedRequest, crate::requests::api::MessageBody,
        crate::requests::api::ResolutionBody,
        crate::indicators::api::IndicatorsView, crate::indicators::api::IndicatorView,
        crate::error::Problem, crate::error::ProblemField,
    )),
    modifiers(&BearerAuth, &StandardProblems),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The answers every operation can give, documented once for all: 401 without a valid
/// token, 403 when the caller's role does not allow it, and 400 when its query string
/// or body cannot be read at all (a repeated parameter, malformed JSON). An operation
/// that documents its own keeps it.
struct StandardProblems;

impl utoipa::Modify for StandardProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in operations.into_iter().flatten() {
                let reads_input = op.request_body.is_some()
                    || op
                        .parameters
                        .iter()
                        .flatten()
                        .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query);
                let responses = &mut op.responses.responses;
                responses
                    .entry("401".into())
                    .or_insert_with(|| problem("No valid token: send `Authorization: Bearer emb_…`."));
                responses
                    .entry("403".into())
                    .or_insert_with(|| problem("The caller's role does not allow this operation."));
                if reads_input {
                    responses
                        .entry("400".into())
                        .or_insert_with(|| problem("The query string or the body cannot be read."));
                }
            }
        }
    }
}

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API document is reviewed like code: a change to the API shows up as a diff here.
    #[test]
    fn the_openapi_document_matches_its_reviewed_snapshot() {
        let doc = serde_json::to_string_pretty(&ApiDoc::openapi()).unwrap() + "\n";
        crate::snapshot::assert_snapshot("openapi.json", &doc);
    }

    /// A parameter declared `in: path` is a `{segment}` of its path, and every segment
    /// is declared: query parameters declared as path ones made the document invalid.
    #[test]
    fn path_parameters_are_exactly_the_segments_of_their_path() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            let segments: Vec<&str> =
                path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
            for (method, op) in item.as_object().unwrap() {
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                let in_path: Vec<&str> =
                    params.iter().filter(|p| p["in"] == "path").map(|p| p["name"].as_str().unwrap()).collect();
                assert_eq!(in_path, segments, "{method} {path}: path parameters");
                for p in params.iter().filter(|p| p["in"] == "query") {
                    assert_ne!(p["required"], true, "{method} {path}: query parameter {} is optional", p["name"]);
                }
                checked += 1;
            }
        }
        assert!(checked >= 15, "{checked} operations");
    }

    /// Every operation says what an unauthenticated or unauthorised caller gets, and
    /// one that reads a query or a body says what an unreadable one gets.
    #[test]
    fn every_operation_documents_its_401_403_and_400() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let responses = op["responses"].as_object().unwrap();
                for status in ["401", "403"] {
                    assert!(responses.contains_key(status), "{method} {path} documents {status}");
                }
                let query = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
                if query || op.get("requestBody").is_some() {
                    assert!(responses.contains_key("400"), "{method} {path} documents 400");
                }
                checked += 1;
            }
        }
        assert!(checked >= 25, "{checked} operations");
    }
}

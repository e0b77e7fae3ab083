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
        crate::kickoff::api::list_next_steps, crate::kickoff::api::add_next_step, crate::kickoff::api::accept_all_next_steps, crate::kickoff::api::accept_next_step, crate::kickoff::api::complete_homework,
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
        crate::kickoff::api::ScorecardState, crate::kickoff::api::FieldState, crate::kickoff::api::FieldWritten,
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
    modifiers(&BearerAuth, &ScorecardFields, &StandardProblems),
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

/// Each scorecard field takes a value of its own shape (a text, a list of texts, a list
/// of outcomes): one documented path per field says which, where a `{field}` parameter
/// could not. The server's route is the same for all.
struct ScorecardFields;

const FIELD_TEMPLATE: &str = "/api/v1/engagements/{id}/scorecard/fields/{field}";

fn field_value_schema(field: &str) -> serde_json::Value {
    use serde_json::json;
    // At most 2 000 characters once trimmed, no control character but a line break.
    let text = json!({"type": "string", "maxLength": 2000, "pattern": "^[^\\x00-\\x09\\x0B-\\x1F\\x7F-\\x9F]*$"});
    match field {
        "outcomes" => json!({"type": "array", "maxItems": 30, "description": "Ranked; blank ones are dropped.",
            "items": {"type": "object", "properties": {"text": text, "measure": text}}}),
        "competencies" | "must_haves" | "nice_to_haves" => {
            json!({"type": "array", "maxItems": 30, "items": text, "description": "Blank items are dropped."})
        }
        _ => text,
    }
}

impl utoipa::Modify for ScorecardFields {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use serde_json::json;
        let Some(template) = openapi.paths.paths.remove(FIELD_TEMPLATE) else { return };
        let template = serde_json::to_value(&template).expect("a path item serialises");
        for field in embark_core::kickoff::scorecard::FIELDS {
            let mut item = template.clone();
            let op = &mut item["put"];
            op["operationId"] = json!(format!("put_scorecard_{field}"));
            if let Some(params) = op["parameters"].as_array_mut() {
                params.retain(|p| p["name"] != "field");
            }
            op["requestBody"]["content"]["application/json"]["schema"] = json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["value", "based_on"],
                "properties": {
                    "value": field_value_schema(field),
                    "based_on": {"type": "integer", "format": "int64", "minimum": 0,
                        "maximum": crate::kickoff::scorecard::service::MAX_VERSION, "description": "The version the value was read at."},
                },
            });
            let item = serde_json::from_value(item).expect("a path item reads back");
            openapi.paths.paths.insert(FIELD_TEMPLATE.replace("{field}", field), item);
        }
    }
}

/// The answers every operation can give, documented once for all: 401 without a valid
/// token, 403 when the caller's role does not allow it, 400 when its query string or
/// body cannot be read at all (a repeated parameter, malformed JSON), 404 when what its
/// path names is not there (or not the caller's), 422 when a value it reads does not fit.
/// An operation that documents its own keeps it.
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
            let operations = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in operations.into_iter().filter_map(|(m, op)| op.as_mut().map(|op| (m, op))) {
                let reads_input = op.request_body.is_some()
                    || op
                        .parameters
                        .iter()
                        .flatten()
                        .any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query);
                let in_path =
                    op.parameters.iter().flatten().any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Path);
                let reads_json = op.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/json"));
                let responses = &mut op.responses.responses;
                let writes = matches!(method, "post" | "put" | "delete");
                if writes {
                    responses.entry("409".into()).or_insert_with(|| {
                        problem("The current state of what it acts on refuses it now (cancelled, resolved, sent, taken…): `errors` names why.")
                    });
                }
                if in_path {
                    responses.entry("404".into()).or_insert_with(|| {
                        problem("What the path names does not exist, or is not the caller's to see.")
                    });
                }
                if reads_json || reads_input {
                    responses.entry("422".into()).or_insert_with(|| {
                        problem("A value that does not fit: each field at fault is named in `errors`, with its code.")
                    });
                }
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

/// A playbook document, as `POST /api/v1/playbooks` takes it (checked by a test).
const EXAMPLE_PLAYBOOK: &str = "---\ntitle: Welcome week\nlanguage: en\nkind: journey\nanchor: start_date\nroles: new_hire, manager\n---\n\nA good first week starts before day one.\n\n## Before day one\n\n### Send the welcome pack\nowner: manager\ndue: start_date - 7d\n\n- [ ] The pack is sent.\n";

/// A course document, as `POST /api/v1/courses` takes it (checked by a test).
const EXAMPLE_COURSE: &str = "---\ntitle: Expenses in five minutes\nlanguage: en\n---\n\nHow to claim an expense.\n\n## The rule\n\nKeep every receipt.\n\n## Check: the rule {quiz}\npass_mark: 100 %\n\n### What do you keep?\n- [x] Every receipt\n- [ ] Nothing\n> A claim needs its receipt.\n";

/// Rules that utoipa's types cannot carry (`anyOf`, `if`/`then`, `dependentSchemas` on an
/// object), written into the JSON document.
fn refine(doc: &mut serde_json::Value) {
    use serde_json::json;
    let schemas = &mut doc["components"]["schemas"];
    // One of `state` and `note`; skipping takes a reason (3 to 500 characters).
    let update = &mut schemas["ItemUpdate"];
    update["anyOf"] = json!([
        {"required": ["state"], "properties": {"state": {"type": "string"}}},
        {"required": ["note"], "properties": {"note": {"type": "string"}}},
    ]);
    update["if"] = json!({"properties": {"state": {"const": "skipped"}}, "required": ["state"]});
    update["then"] = json!({"required": ["reason"], "properties": {"reason": {
        "type": "string", "minLength": 3, "maxLength": 500, "pattern": "\\S[\\s\\S]+\\S"}}});
    // Staff logging a request name its channel with its requester.
    schemas["NewRequestBody"]["dependentSchemas"] =
        json!({"requester_email": {"required": ["channel"], "properties": {"channel": {"type": "string"}}}});
    // An option's `value` is its position among a question's few options.
    schemas["AnswerBody"]["oneOf"][0]["items"]["maximum"] = json!(1000);
    // Examples, read by people and by the contract run's examples phase.
    for (schema, example) in [
        (
            "NewUserBody",
            json!({"email": "lea.martin@example.com", "name": "Léa Martin", "role": "coach", "locale": "fr"}),
        ),
        ("Cancellation", json!({"reason": "The client put the search on hold."})),
        ("MessageBody", json!({"body": "We will call you tomorrow morning."})),
        ("ResolutionBody", json!({"resolution": "The invoice was corrected and sent again."})),
        ("ItemUpdate", json!({"note": "Called the client: the brief is on its way."})),
        ("MeetingStart", json!({"early": false})),
    ] {
        schemas[schema]["examples"] = json!([example]);
    }
    let bodies = [
        ("/api/v1/playbooks", "text/markdown", EXAMPLE_PLAYBOOK),
        ("/api/v1/courses", "text/markdown", EXAMPLE_COURSE),
        (
            "/api/v1/surveys/{id}/answers/import",
            "text/csv",
            "score,answered_at,segment,comment\n9,2026-03-14,Paris,Clear and quick\n6,2026-03-20,,\n",
        ),
    ];
    for (path, media, example) in bodies {
        doc["paths"][path]["post"]["requestBody"]["content"][media]["example"] = json!(example);
    }
    let schemas = &mut doc["components"]["schemas"];
    // A scorecard field's value has its field's shape.
    let value = &mut schemas["FieldState"]["properties"]["value"];
    let shapes: Vec<_> = ["mission", "competencies", "outcomes"].map(field_value_schema).into_iter().collect();
    *value = json!({"anyOf": shapes, "description": value["description"]});
}

/// How one operation's answer leads to others: (path, method, status, link, operation,
/// its parameters as runtime expressions).
type Link =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const BODY_ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const FIRST_ID: &[(&str, &str)] = &[("id", "$response.body#/0/id")];
const SAME_ID: &[(&str, &str)] = &[("id", "$request.path.id")];

const LINKS: &[Link] = &[
    ("/api/v1/engagements", "get", "200", "GetEngagement", "get_engagement", &[("id", "$response.body#/items/0/id")]),
    ("/api/v1/engagements", "post", "201", "GetEngagement", "get_engagement", BODY_ID),
    ("/api/v1/engagements", "post", "201", "GetScorecard", "get_scorecard", BODY_ID),
    ("/api/v1/engagements", "post", "201", "GetKickoff", "get_kickoff", BODY_ID),
    ("/api/v1/engagements", "post", "201", "ListNextSteps", "list_next_steps", BODY_ID),
    ("/api/v1/engagements", "post", "201", "StartMeeting", "start_meeting", BODY_ID),
    ("/api/v1/engagements", "post", "201", "RecordOfferSigned", "record_offer_signed", BODY_ID),
    ("/api/v1/engagements", "post", "201", "CancelEngagement", "cancel_engagement", BODY_ID),
    (
        "/api/v1/engagements/{id}",
        "get",
        "200",
        "UpdateItem",
        "update_item",
        &[("id", "$request.path.id"), ("key", "$response.body#/items/0/key")],
    ),
    ("/api/v1/engagements/{id}/scorecard", "get", "200", "WriteMission", "put_scorecard_mission", SAME_ID),
    ("/api/v1/engagements/{id}/scorecard", "get", "200", "WriteOutcomes", "put_scorecard_outcomes", SAME_ID),
    ("/api/v1/engagements/{id}/scorecard", "get", "200", "WriteMustHaves", "put_scorecard_must_haves", SAME_ID),
    ("/api/v1/engagements/{id}/next-steps", "get", "200", "AcceptAll", "accept_all_next_steps", SAME_ID),
    (
        "/api/v1/engagements/{id}/next-steps",
        "get",
        "200",
        "ChangeNextStep",
        "put_next_step",
        &[("id", "$request.path.id"), ("step", "$response.body#/0/id")],
    ),
    (
        "/api/v1/engagements/{id}/next-steps",
        "get",
        "200",
        "DeleteNextStep",
        "delete_next_step",
        &[("id", "$request.path.id"), ("step", "$response.body#/0/id")],
    ),
    (
        "/api/v1/engagements/{id}/next-steps",
        "get",
        "200",
        "AcceptNextStep",
        "accept_next_step",
        &[("id", "$request.path.id"), ("step", "$response.body#/0/id")],
    ),
    (
        "/api/v1/engagements/{id}/next-steps",
        "get",
        "200",
        "CompleteHomework",
        "complete_homework",
        &[("id", "$request.path.id"), ("step", "$response.body#/0/id")],
    ),
    ("/api/v1/playbooks", "get", "200", "GetPlaybook", "get_playbook", FIRST_ID),
    ("/api/v1/playbooks", "get", "200", "ExportPlaybook", "export_playbook", FIRST_ID),
    ("/api/v1/playbooks", "post", "201", "GetPlaybook", "get_playbook", &[("id", "$response.body#/playbook/id")]),
    ("/api/v1/playbooks", "post", "201", "ExportPlaybook", "export_playbook", &[("id", "$response.body#/playbook/id")]),
    ("/api/v1/requests", "get", "200", "GetRequest", "get_request", FIRST_ID),
    ("/api/v1/requests", "post", "201", "GetRequest", "get_request", BODY_ID),
    ("/api/v1/requests", "post", "201", "AddMessage", "add_message", BODY_ID),
    ("/api/v1/requests", "post", "201", "ResolveRequest", "resolve_request", BODY_ID),
    ("/api/v1/surveys", "get", "200", "SurveyResults", "survey_results", FIRST_ID),
    ("/api/v1/surveys", "get", "200", "ImportAnswers", "import_answers", FIRST_ID),
    ("/api/v1/courses", "get", "200", "GetCourse", "get_course", &[("key", "$response.body#/0/key")]),
    ("/api/v1/courses", "get", "200", "ExportCourse", "export_course", &[("key", "$response.body#/0/key")]),
    ("/api/v1/courses", "get", "200", "AssignCourse", "assign_course", &[("key", "$response.body#/0/key")]),
    ("/api/v1/courses", "post", "201", "GetCourse", "get_course", &[("key", "$response.body#/key")]),
    (
        "/api/v1/courses/{key}",
        "get",
        "200",
        "StartExam",
        "start_attempt",
        &[("key", "$request.path.key"), ("quiz", "$response.body#/exam/id")],
    ),
    ("/api/v1/courses/{key}/quizzes/{quiz}/attempts", "post", "201", "GetAttempt", "get_attempt", BODY_ID),
    ("/api/v1/courses/{key}/quizzes/{quiz}/attempts", "post", "201", "SubmitAttempt", "submit_attempt", BODY_ID),
];

/// The document as served (and reviewed in its snapshot).
pub fn document() -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    refine(&mut doc);
    for (path, method, status, name, operation, parameters) in LINKS {
        let parameters: serde_json::Map<String, serde_json::Value> =
            parameters.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect();
        doc["paths"][path][method]["responses"][status]["links"][name] =
            serde_json::json!({"operationId": operation, "parameters": parameters});
    }
    doc
}

async fn openapi() -> impl IntoResponse {
    Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API document is reviewed like code: a change to the API shows up as a diff here.
    #[test]
    fn the_openapi_document_matches_its_reviewed_snapshot() {
        let doc = serde_json::to_string_pretty(&document()).unwrap() + "\n";
        crate::snapshot::assert_snapshot("openapi.json", &doc);
    }

    /// A parameter declared `in: path` is a `{segment}` of its path, and every segment
    /// is declared: query parameters declared as path ones made the document invalid.
    #[test]
    fn path_parameters_are_exactly_the_segments_of_their_path() {
        let doc = document();
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

    /// Each link starts from an answer the document has and leads to an operation it has,
    /// naming exactly that operation's path parameters.
    #[test]
    fn links_lead_from_documented_answers_to_documented_operations() {
        let doc = document();
        let mut operations = std::collections::HashMap::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for op in item.as_object().unwrap().values() {
                operations.insert(op["operationId"].as_str().unwrap().to_string(), path.clone());
            }
        }
        for (path, method, status, name, operation, parameters) in LINKS {
            let answer = &doc["paths"][path][method]["responses"][status];
            assert!(answer.get("description").is_some(), "{method} {path} {status} is documented ({name})");
            let target = operations.get(*operation).unwrap_or_else(|| panic!("{name}: no operation {operation}"));
            let mut segments: Vec<&str> =
                target.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
            let mut named: Vec<&str> = parameters.iter().map(|(k, _)| *k).collect();
            segments.sort();
            named.sort();
            assert_eq!(named, segments, "{name} names the path parameters of {operation}");
        }
    }

    /// Every operation says what an unauthenticated or unauthorised caller gets, and
    /// one that reads a query or a body says what an unreadable one gets.
    #[test]
    fn every_operation_documents_its_401_403_and_400() {
        let doc = document();
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

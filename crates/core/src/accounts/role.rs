//! Roles and what they allow. Deny by default: a permission not listed for a
//! role is refused.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the workspace: users, roles, playbooks, settings.
    Admin,
    /// Consultant of the firm: prepares and runs client kick-offs.
    AccountManager,
    /// Hiring manager at the client: fills in the scorecard, reads reports.
    ClientContact,
    /// An employee who is joining.
    NewHire,
    /// Welcomes a new hire, owns tasks.
    Manager,
    /// Runs field coaching.
    Coach,
}

/// Something a user may try to do. Checked with [`Role::can`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Invite users, change roles, deactivate accounts.
    ManageUsers,
    /// See the list of people of the workspace.
    ListUsers,
    /// Read the emails Embark wrote (outbox).
    ReadOutbox,
    /// Create personal API tokens.
    UseApi,
    /// Read the playbook library (as articles).
    ReadPlaybooks,
    /// Import and edit playbooks.
    EditPlaybooks,
    /// Start engagements and work on any of them.
    RunEngagements,
    /// See every engagement of the workspace (others see those they take part in).
    ViewAllEngagements,
    /// Let a step start although a prerequisite is open (with a written reason).
    OverrideGates,
    /// Read survey results (NPS, eNPS) and the indicators.
    ViewSurveyResults,
    /// Take courses of the learning space: read them, pass their quizzes.
    Learn,
    /// Import and edit courses.
    EditCourses,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::AccountManager, Role::ClientContact, Role::NewHire, Role::Manager, Role::Coach];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::AccountManager => "account_manager",
            Role::ClientContact => "client_contact",
            Role::NewHire => "new_hire",
            Role::Manager => "manager",
            Role::Coach => "coach",
        }
    }

    /// External people (clients, new hires before day one) sign in with a
    /// magic link sent by email; staff sign in with a password.
    pub fn signs_in_with_link(self) -> bool {
        matches!(self, Role::ClientContact | Role::NewHire)
    }

    pub fn is_staff(self) -> bool {
        !self.signs_in_with_link()
    }

    // A table of (role, permission) reads better as a match than as `matches!`.
    #[allow(clippy::match_like_matches_macro)]
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match (self, permission) {
            (Role::Admin, _) => true,
            (
                Role::AccountManager | Role::Manager | Role::Coach,
                ListUsers | UseApi | ReadPlaybooks | ViewAllEngagements,
            ) => true,
            // A client's own integration holds a token: it reaches what her pages reach
            // (the services decide, per engagement), no more.
            (Role::ClientContact, UseApi) => true,
            (Role::AccountManager | Role::Manager, ViewSurveyResults) => true,
            // Clients take the courses assigned to them, in their portal (learning paths).
            (Role::AccountManager | Role::Manager | Role::Coach | Role::NewHire, Learn) => true,
            (Role::AccountManager, EditPlaybooks | RunEngagements) => true,
            (Role::Manager, RunEngagements) => true,
            _ => false,
        }
    }
}

/// Whether a person with this account role may take a playbook role: the playbook
/// roles that name external people (`client`, `client_contact`, `new_hire`…) take
/// only those people, and the others (`account_manager`, `manager`, `buddy`, `coach`,
/// a firm's own) only staff. A new hire cannot be a search's account manager, nor
/// an account manager the client of a kick-off.
pub fn fits_playbook_role(playbook_role: &str, person: Role) -> bool {
    match playbook_role {
        "client" | "client_contact" | "contact" => person == Role::ClientContact,
        "new_hire" | "newcomer" | "hire" => person == Role::NewHire,
        _ => person.is_staff(),
    }
}

/// Whether a playbook role names external people (the client, the new hire): those
/// who sign in by link ([`Role::signs_in_with_link`]), and who see only what the
/// playbook shares with them.
pub fn is_external_playbook_role(playbook_role: &str) -> bool {
    !fits_playbook_role(playbook_role, Role::Admin)
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected one of admin, account_manager, client_contact, new_hire, manager, coach)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playbook_roles_take_people_of_the_right_kind() {
        assert!(fits_playbook_role("client_contact", Role::ClientContact));
        assert!(!fits_playbook_role("client_contact", Role::AccountManager));
        assert!(fits_playbook_role("new_hire", Role::NewHire));
        assert!(!fits_playbook_role("account_manager", Role::NewHire), "a new hire is not an account manager");
        assert!(!fits_playbook_role("buddy", Role::ClientContact));
        assert!(fits_playbook_role("buddy", Role::Manager) && fits_playbook_role("account_manager", Role::Admin));
        for external in ["client", "client_contact", "contact", "new_hire", "newcomer", "hire"] {
            assert!(is_external_playbook_role(external), "{external}");
        }
        for staff in ["account_manager", "manager", "buddy", "coach", "it"] {
            assert!(!is_external_playbook_role(staff), "{staff}");
        }
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_admins_manage_users_and_read_the_outbox() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::ManageUsers), role == Role::Admin);
            assert_eq!(role.can(Permission::ReadOutbox), role == Role::Admin);
        }
    }

    #[test]
    fn external_people_are_denied_staff_permissions() {
        for role in [Role::ClientContact, Role::NewHire] {
            assert!(role.signs_in_with_link());
            for p in [
                Permission::ListUsers,
                Permission::ReadPlaybooks,
                Permission::EditPlaybooks,
                Permission::RunEngagements,
                Permission::ViewAllEngagements,
                Permission::OverrideGates,
                Permission::EditCourses,
            ] {
                assert!(!role.can(p), "{role} {p:?}");
            }
        }
    }

    #[test]
    fn staff_and_client_contacts_hold_api_tokens_new_hires_do_not() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::UseApi), role != Role::NewHire, "{role}");
        }
    }

    #[test]
    fn staff_and_new_hires_learn_and_only_admins_edit_courses() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::Learn), role != Role::ClientContact, "{role}");
            assert_eq!(role.can(Permission::EditCourses), role == Role::Admin, "{role}");
        }
    }

    #[test]
    fn only_admins_override_gates_and_coaches_only_watch() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::OverrideGates), role == Role::Admin);
        }
        assert!(Role::Coach.can(Permission::ViewAllEngagements));
        assert!(!Role::Coach.can(Permission::RunEngagements));
        assert!(Role::AccountManager.can(Permission::EditPlaybooks));
        assert!(!Role::Manager.can(Permission::EditPlaybooks));
    }
}

//! Who may do what: permissions are checked per role, deny by default.

use embark_core::Permission;
use embark_store::accounts::sessions::Principal;

use crate::error::AppError;

pub fn require(actor: &Principal, permission: Permission) -> Result<(), AppError> {
    if actor.user.role.can(permission) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

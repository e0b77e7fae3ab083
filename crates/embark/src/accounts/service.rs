//! Accounts: signing in, invitations, roles, API tokens.

use std::net::IpAddr;

use embark_core::{
    ApiTokenId, DisplayName, EmailAddress, FieldError, Locale, Password, Permission, Role, Signal, Timestamp, UserId,
};
use embark_store::accounts::magic_links::{self, MagicLink, Purpose};
use embark_store::accounts::sessions::Principal;
use embark_store::accounts::users::{self, User};
use embark_store::{accounts::api_tokens, accounts::sessions, audit};

use crate::access::require;
use crate::error::AppError;
use crate::jobs::queue::{self as jobs, Job};
use crate::secrets::{hash_password, random_token, token_hash, verify_password};
use crate::state::AppState;

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 14;
/// How long a sign-in link stays valid.
pub const SIGN_IN_LINK_HOURS: i64 = 24;
/// How long an invitation stays valid.
pub const INVITATION_HOURS: i64 = 72;

const HOUR_MS: i64 = 3_600_000;

/// A new session: the cookie value to hand to the browser.
pub struct NewSession {
    pub token: String,
    pub user: User,
}

async fn start_session(state: &AppState, user: User) -> Result<NewSession, AppError> {
    let token = random_token();
    let now = state.now();
    sessions::create(
        &mut state.store.db(),
        &token_hash(&token),
        user.id,
        user.workspace_id,
        now,
        now.plus_millis(SESSION_DAYS * 24 * HOUR_MS),
    )
    .await?;
    Ok(NewSession { token, user })
}

#[derive(Debug)]
pub enum SignInError {
    /// Wrong password, unknown email, no password, deactivated: one answer for all.
    Invalid,
    RateLimited {
        retry_after_secs: u64,
    },
    Other(AppError),
}

impl<E: Into<AppError>> From<E> for SignInError {
    fn from(e: E) -> Self {
        SignInError::Other(e.into())
    }
}

/// Email + password sign-in for staff.
///
/// Each attempt costs the same whatever the email: it is counted against the address's
/// limit before it runs, and it verifies exactly one password hash (the account's in the
/// named workspace, else in the oldest one; a dummy hash when there is none), so neither
/// the answer nor its time tells whether, or in how many workspaces, the email exists.
/// Only roles that sign in by password are candidates.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    workspace: Option<&str>,
    ip: IpAddr,
) -> Result<NewSession, SignInError> {
    if !state.sign_in_failures.try_take(ip, state.now()) {
        return Err(SignInError::RateLimited {
            retry_after_secs: state.sign_in_failures.retry_after_secs(ip, state.now()),
        });
    }
    let candidates = match EmailAddress::parse(email) {
        Ok(email) => users::credentials_by_email(&mut state.store.db(), &email).await?,
        Err(_) => Vec::new(),
    };
    let workspace = workspace.map(str::trim).filter(|w| !w.is_empty()).map(str::to_lowercase);
    let candidate = candidates.into_iter().filter(|c| c.user.role.is_staff()).find(|c| match &workspace {
        Some(name) => c.workspace_name.to_lowercase() == *name,
        None => true,
    });
    let password = password.to_string();
    let hash = candidate.as_ref().and_then(|c| c.password_hash.clone());
    let matched = hashing(state, move || verify_password(&password, hash.as_deref())).await?;
    match candidate {
        Some(c) if matched => {
            state.sign_in_failures.give_back(ip);
            Ok(start_session(state, c.user).await?)
        }
        _ => Err(SignInError::Invalid),
    }
}

/// Runs a password hash or verification (Argon2, CPU-bound and 19 MiB each) off the async
/// workers, at most one per core at a time: a burst of sign-ins queues here instead of
/// taking the process's memory with it.
async fn hashing<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = state.hashing.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(e.into()))
}

/// Ends every session of the person, and says so in the audit trail.
pub async fn sign_out_everywhere(state: &AppState, actor: &Principal) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let ended = sessions::delete_for_user(&mut tx, actor.user.id).await?;
    let subject = actor.user.id.to_string();
    let detail = ended.to_string();
    audit::record(
        &mut tx,
        actor.user.workspace_id,
        Some(actor.user.id),
        "user.signed_out_everywhere",
        Some(&subject),
        &detail,
        now,
    )
    .await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    Ok(())
}

pub async fn sign_out(state: &AppState, session_token: &str) -> Result<(), AppError> {
    sessions::delete(&mut state.store.db(), &token_hash(session_token)).await?;
    Ok(())
}

/// Someone asks for a sign-in link. Whether or not an account exists, the
/// answer is the same; a link goes to each active external account with that email.
pub async fn request_sign_in_link(state: &AppState, email: &str, ip: IpAddr) -> Result<(), AppError> {
    if state.link_requests.hit_and_check(ip, state.now()) {
        return Err(AppError::RateLimited { retry_after_secs: state.link_requests.retry_after_secs(ip, state.now()) });
    }
    let email = EmailAddress::parse(email)?;
    let accounts = users::credentials_by_email(&mut state.store.db(), &email).await?;
    let now = state.now();
    for account in accounts.into_iter().filter(|c| c.user.role.signs_in_with_link()) {
        let mut tx = state.store.begin().await?;
        let link = magic_links::create(
            &mut tx,
            account.user.workspace_id,
            account.user.id,
            Purpose::SignIn,
            now,
            now.plus_millis(SIGN_IN_LINK_HOURS * HOUR_MS),
        )
        .await?;
        jobs::enqueue(&mut tx, &Job::SendLink { link_id: link }, now, None).await?;
        tx.commit().await.map_err(embark_store::StoreError::from)?;
    }
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// What a magic link is worth right now.
#[derive(Debug)]
pub enum LinkStatus {
    Valid { link: MagicLink, user: User },
    Expired,
    Used,
    Unknown,
}

pub async fn link_status(state: &AppState, token: &str, purpose: Purpose) -> Result<LinkStatus, AppError> {
    let pool = &mut state.store.db();
    let Some(link) = magic_links::find_by_token(pool, &token_hash(token)).await? else {
        return Ok(LinkStatus::Unknown);
    };
    if link.purpose != purpose {
        return Ok(LinkStatus::Unknown);
    }
    if link.used_at.is_some() {
        return Ok(LinkStatus::Used);
    }
    if link.expires_at <= state.now() {
        return Ok(LinkStatus::Expired);
    }
    match users::get(pool, link.workspace_id, link.user_id).await? {
        Some(user) if user.active => Ok(LinkStatus::Valid { link, user }),
        _ => Ok(LinkStatus::Used),
    }
}

/// Uses a sign-in link (once) and opens a session. Also returns where the link leads.
pub async fn sign_in_with_link(
    state: &AppState,
    token: &str,
) -> Result<Result<(NewSession, Option<String>), LinkStatus>, AppError> {
    let status = link_status(state, token, Purpose::SignIn).await?;
    let LinkStatus::Valid { user, .. } = status else {
        return Ok(Err(status));
    };
    // The compare-and-set in `consume` decides a race between two clicks.
    let Some(link) = magic_links::consume(&mut state.store.db(), &token_hash(token), state.now()).await? else {
        return Ok(Err(LinkStatus::Used));
    };
    Ok(Ok((start_session(state, user).await?, link.next_path)))
}

/// Accepts an invitation: sets the password, uses the link, opens a session.
pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    password: &str,
    confirmation: &str,
) -> Result<Result<NewSession, LinkStatus>, AppError> {
    let password = Password::parse(password)?;
    if password.expose() != confirmation {
        return Err(FieldError::new("password_confirmation", "error-password-mismatch").into());
    }
    let status = link_status(state, token, Purpose::Invitation).await?;
    let LinkStatus::Valid { user, .. } = status else {
        return Ok(Err(status));
    };
    let hash = hashing(state, move || hash_password(password.expose())).await??;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if magic_links::consume(&mut tx, &token_hash(token), now).await?.is_none() {
        return Ok(Err(LinkStatus::Used));
    }
    users::set_password_hash(&mut tx, user.workspace_id, user.id, &hash, now).await?;
    audit::record(
        &mut tx,
        user.workspace_id,
        Some(user.id),
        "invitation.accepted",
        Some(&user.id.to_string()),
        "",
        now,
    )
    .await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    Ok(Ok(start_session(state, user).await?))
}

/// What an admin types to invite someone.
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub role: String,
    pub locale: Option<String>,
}

/// Creates the account and emails the link (an invitation to choose a password
/// for staff, a sign-in link for external people), in one transaction.
pub async fn invite(state: &AppState, actor: &Principal, input: Invitation) -> Result<User, AppError> {
    require(actor, Permission::ManageUsers)?;
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&input.email).map_err(|e| errors.push(e)).ok();
    let name = DisplayName::parse(&input.name).map_err(|e| errors.push(e)).ok();
    let role = input.role.parse::<Role>().map_err(|_| errors.push(FieldError::new("role", "error-role-invalid"))).ok();
    let locale = match input.locale.as_deref().filter(|l| !l.is_empty()) {
        None => Some(actor.user.locale),
        Some(l) => l.parse::<Locale>().map_err(|_| errors.push(FieldError::new("locale", "error-locale-invalid"))).ok(),
    };
    let (Some(email), Some(name), Some(role), Some(locale)) = (email, name, role, locale) else {
        return Err(AppError::Invalid(errors));
    };
    let now = state.now();
    let workspace = actor.user.workspace_id;
    let mut tx = state.store.begin().await?;
    let user = match users::create(
        &mut tx,
        users::NewUser { workspace_id: workspace, email: &email, name: &name, role, locale, password_hash: None },
        now,
    )
    .await
    {
        Ok(u) => u,
        Err(e) if e.is_conflict_on(users::EMAIL_TAKEN) => {
            return Err(FieldError::new("email", "error-email-taken").into());
        }
        Err(e) => return Err(e.into()),
    };
    let (purpose, hours) = if role.signs_in_with_link() {
        (Purpose::SignIn, SIGN_IN_LINK_HOURS)
    } else {
        (Purpose::Invitation, INVITATION_HOURS)
    };
    let link = magic_links::create(&mut tx, workspace, user.id, purpose, now, now.plus_millis(hours * HOUR_MS)).await?;
    jobs::enqueue(&mut tx, &Job::SendLink { link_id: link }, now, None).await?;
    audit::record(
        &mut tx,
        workspace,
        Some(actor.user.id),
        "user.invited",
        Some(&user.id.to_string()),
        role.as_str(),
        now,
    )
    .await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(user)
}

/// Sends a fresh link to someone who has not used theirs.
pub async fn resend_link(state: &AppState, actor: &Principal, id: UserId) -> Result<User, AppError> {
    require(actor, Permission::ManageUsers)?;
    let workspace = actor.user.workspace_id;
    let user = users::get(&mut state.store.db(), workspace, id).await?.ok_or(AppError::NotFound)?;
    if !user.active {
        return Err(FieldError::new("user", "error-user-inactive").into());
    }
    let (purpose, hours) = if user.role.signs_in_with_link() || user.has_password {
        (Purpose::SignIn, SIGN_IN_LINK_HOURS)
    } else {
        (Purpose::Invitation, INVITATION_HOURS)
    };
    if purpose == Purpose::SignIn && !user.role.signs_in_with_link() {
        return Err(FieldError::new("user", "error-user-has-password").into());
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let link = magic_links::create(&mut tx, workspace, user.id, purpose, now, now.plus_millis(hours * HOUR_MS)).await?;
    jobs::enqueue(&mut tx, &Job::SendLink { link_id: link }, now, None).await?;
    audit::record(&mut tx, workspace, Some(actor.user.id), "user.link_resent", Some(&id.to_string()), "", now).await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(user)
}

pub async fn change_role(state: &AppState, actor: &Principal, id: UserId, role: &str) -> Result<User, AppError> {
    require(actor, Permission::ManageUsers)?;
    let role: Role = role.parse().map_err(|_| FieldError::new("role", "error-role-invalid"))?;
    let workspace = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let user = users::get(&mut tx, workspace, id).await?.ok_or(AppError::NotFound)?;
    if user.role == Role::Admin && role != Role::Admin && users::active_admins(&mut tx, workspace).await? <= 1 {
        return Err(FieldError::new("role", "error-last-admin").into());
    }
    users::set_role(&mut tx, workspace, id, role, now).await?;
    // A new role starts from a new sign-in, and keeps no token it may not hold; a token
    // made by staff is not carried over to an external role (nor the other way).
    sessions::delete_for_user(&mut tx, id).await?;
    if !role.can(Permission::UseApi) || role.is_staff() != user.role.is_staff() {
        api_tokens::revoke_for_user(&mut tx, id, now).await?;
    }
    audit::record(
        &mut tx,
        workspace,
        Some(actor.user.id),
        "user.role_changed",
        Some(&id.to_string()),
        role.as_str(),
        now,
    )
    .await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    Ok(User { role, ..user })
}

/// Deactivates (signs out everywhere, voids links) or reactivates an account.
pub async fn set_active(state: &AppState, actor: &Principal, id: UserId, active: bool) -> Result<User, AppError> {
    require(actor, Permission::ManageUsers)?;
    if id == actor.user.id && !active {
        return Err(FieldError::new("user", "error-deactivate-self").into());
    }
    let workspace = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let user = users::get(&mut tx, workspace, id).await?.ok_or(AppError::NotFound)?;
    if !active && user.role == Role::Admin && user.active && users::active_admins(&mut tx, workspace).await? <= 1 {
        return Err(FieldError::new("user", "error-last-admin").into());
    }
    users::set_active(&mut tx, workspace, id, active, now).await?;
    if !active {
        sessions::delete_for_user(&mut tx, id).await?;
        magic_links::revoke_for_user(&mut tx, id, now).await?;
    }
    let action = if active { "user.reactivated" } else { "user.deactivated" };
    audit::record(&mut tx, workspace, Some(actor.user.id), action, Some(&id.to_string()), "", now).await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    Ok(User { active, ..user })
}

pub async fn set_locale(state: &AppState, actor: &Principal, locale: Locale) -> Result<(), AppError> {
    users::set_locale(&mut state.store.db(), actor.user.workspace_id, actor.user.id, locale, state.now()).await?;
    Ok(())
}

/// A new API token: the secret is returned once and only its hash is kept.
pub async fn create_api_token(
    state: &AppState,
    actor: &Principal,
    name: &str,
) -> Result<(api_tokens::ApiToken, String), AppError> {
    require(actor, Permission::UseApi)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(FieldError::new("name", "error-token-name").into());
    }
    let secret = format!("emb_{}", random_token());
    let prefix: String = secret.chars().take(10).collect();
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let token = api_tokens::create(
        &mut tx,
        api_tokens::NewApiToken {
            workspace_id: actor.user.workspace_id,
            user_id: actor.user.id,
            name,
            token_hash: &token_hash(&secret),
            prefix: &prefix,
        },
        now,
    )
    .await?;
    // The token's name and prefix, never its secret.
    let detail = format!("{name} ({prefix}…)");
    let subject = token.id.to_string();
    audit::record(&mut tx, actor.user.workspace_id, Some(actor.user.id), "token.created", Some(&subject), &detail, now)
        .await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    Ok((token, secret))
}

pub async fn revoke_api_token(state: &AppState, actor: &Principal, id: ApiTokenId) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if api_tokens::revoke(&mut tx, actor.user.workspace_id, actor.user.id, id, now).await? {
        let subject = id.to_string();
        audit::record(&mut tx, actor.user.workspace_id, Some(actor.user.id), "token.revoked", Some(&subject), "", now)
            .await?;
        tx.commit().await.map_err(embark_store::StoreError::from)?;
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Creates a workspace if needed and an account with a password (the CLI's `user create`, the demo).
pub async fn create_user_with_password(
    state: &AppState,
    workspace_name: &str,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
    locale: Locale,
) -> anyhow::Result<User> {
    let email = EmailAddress::parse(email)
        .map_err(|e| anyhow::anyhow!("--email: {}", crate::i18n::Tr::new(Locale::En).t(e.code)))?;
    let name = DisplayName::parse(name)
        .map_err(|e| anyhow::anyhow!("--name: {}", crate::i18n::Tr::new(Locale::En).t(e.code)))?;
    let password = Password::parse(password)
        .map_err(|e| anyhow::anyhow!("password: {}", crate::i18n::Tr::new(Locale::En).t(e.code)))?;
    let ws_name = embark_core::WorkspaceName::parse(workspace_name)
        .map_err(|e| anyhow::anyhow!("--workspace: {}", crate::i18n::Tr::new(Locale::En).t(e.code)))?;
    let hash = hash_password(password.expose())?;
    let now: Timestamp = state.now();
    let mut tx = state.store.begin().await?;
    let workspace = match embark_store::accounts::workspaces::find_by_name(&mut tx, ws_name.as_str()).await? {
        Some(w) => w,
        None => {
            embark_store::accounts::workspaces::create(&mut tx, &ws_name, &state.config.default_time_zone, now).await?
        }
    };
    let user = users::create(
        &mut tx,
        users::NewUser {
            workspace_id: workspace.id,
            email: &email,
            name: &name,
            role,
            locale,
            password_hash: Some(&hash),
        },
        now,
    )
    .await
    .map_err(|e| {
        if e.is_conflict_on(users::EMAIL_TAKEN) {
            anyhow::anyhow!("--email: {email} already has an account in workspace {:?}", workspace.name)
        } else {
            e.into()
        }
    })?;
    audit::record(&mut tx, workspace.id, None, "user.created", Some(&user.id.to_string()), role.as_str(), now).await?;
    tx.commit().await?;
    // Courses first: the built-in playbooks' gates name them.
    crate::learning::service::install_builtins(state, workspace.id)
        .await
        .map_err(|e| anyhow::anyhow!("installing the built-in courses: {e}"))?;
    crate::playbooks::service::install_builtins(state, workspace.id)
        .await
        .map_err(|e| anyhow::anyhow!("installing the built-in playbooks: {e}"))?;
    Ok(user)
}

/// Records a person's scorecard certification by hand — an override of the course's
/// exam, with its reason — valid until the end of `expires_on` in the workspace's time
/// zone, and closes the gates that waited for it, saying why in their timelines.
pub async fn certify(
    state: &AppState,
    actor: &Principal,
    id: UserId,
    expires_on: &str,
    reason: &str,
) -> Result<usize, AppError> {
    use embark_store::accounts::certifications::{self, Grant, Source};
    require(actor, Permission::ManageUsers)?;
    let ws = actor.user.workspace_id;
    let user = users::get(&mut state.store.db(), ws, id).await?.ok_or(AppError::NotFound)?;
    let invalid = || FieldError::new("expires_on", "error-certification-date");
    let mut errors = Vec::new();
    let expires_at = (|| {
        let date: jiff::civil::Date = expires_on.trim().parse().ok()?;
        let tz = jiff::tz::TimeZone::get(&actor.workspace_time_zone).ok()?;
        let end_of_day = date.tomorrow().ok()?.to_zoned(tz).ok()?;
        Some(Timestamp::from_jiff(end_of_day.timestamp()))
    })();
    let now = state.now();
    match expires_at {
        Some(at) if at > now => {}
        _ => errors.push(invalid()),
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.push(FieldError::new("reason", "error-certification-reason"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if !user.active || !user.role.is_staff() {
        return Err(FieldError::new("expires_on", "error-certification-staff").into());
    }
    let expires_at = expires_at.ok_or_else(invalid)?;
    let mut tx = state.store.begin().await?;
    let grant = Grant {
        workspace: ws,
        user: id,
        kind: certifications::SCORECARD,
        source: Source::Override,
        granted_by: Some(actor.user.id),
        reason: Some(reason),
        attempt: None,
        granted_at: now,
        expires_at,
    };
    certifications::record(&mut tx, grant).await?;
    crate::learning::service::schedule_expiry(&mut tx, ws, id, certifications::SCORECARD, expires_at, now).await?;
    let detail = format!("{} — {reason}", expires_on.trim());
    audit::record(&mut tx, ws, Some(actor.user.id), "user.certified", Some(&id.to_string()), &detail, now).await?;
    let signal = Signal::Certified(embark_core::learning::CourseKey::scorecard());
    let closed =
        crate::engagements::signals::emit_for_person_because(state, &mut tx, ws, id, signal, reason, now).await?;
    tx.commit().await.map_err(embark_store::StoreError::from)?;
    Ok(closed)
}

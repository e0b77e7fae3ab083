//! Live events across instances: on PostgreSQL, `NOTIFY` on one channel that every
//! instance `LISTEN`s to. (On SQLite there is one instance, and events stay in process.)

use crate::Db;
use sqlx::postgres::PgListener;

use crate::Result;

/// The channel every instance listens to.
pub const CHANNEL: &str = "embark_live";

/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
pub const MAX_PAYLOAD: usize = 7_900;

/// Sends `payload` to every listening instance (PostgreSQL only), when the
/// surrounding transaction commits.
pub async fn notify(db: &mut Db, payload: &str) -> Result<()> {
    crate::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(db).await?;
    Ok(())
}

/// A connection listening to [`CHANNEL`]. It reconnects by itself after a drop
/// (notifications sent meanwhile are lost; live views reload on reconnect).
pub async fn listen(url: &str) -> Result<PgListener> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

//! The store's own connection type (docs/adr/0001): one [`Db`] over a native
//! SQLite or PostgreSQL connection, and one query builder that runs the same SQL
//! text with the same binds on either engine, decoding rows with the same
//! `FromRow`. This module is the only place that knows which engine runs:
//! store functions take `&mut Db` and never match on the engine.
//!
//! A [`Db`] is one of three things, all used the same way:
//! - [`Store::db`](crate::Store::db): a handle that takes a pooled connection for
//!   each query (for a caller that makes one query, or a background task);
//! - [`Store::conn`](crate::Store::conn): one pooled connection held by the caller,
//!   so a request acquires once for all its queries;
//! - [`Store::begin`](crate::Store::begin): a transaction (a use case), committed
//!   explicitly with [`Tx::commit`]; dropped without it, it rolls back.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool, PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool, SqliteRow};
use sqlx::{FromRow, Transaction};

/// A connection pool of one engine.
#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Where a store function runs its queries: see the module documentation.
pub struct Db(Inner);

enum Inner {
    SqlitePool(SqlitePool),
    PgPool(PgPool),
    SqliteConn(PoolConnection<Sqlite>),
    PgConn(PoolConnection<Postgres>),
    SqliteTx(Transaction<'static, Sqlite>),
    PgTx(Transaction<'static, Postgres>),
}

impl Db {
    pub(crate) fn pooled(pool: &Pool) -> Db {
        match pool {
            Pool::Sqlite(p) => Db(Inner::SqlitePool(p.clone())),
            Pool::Postgres(p) => Db(Inner::PgPool(p.clone())),
        }
    }

    pub(crate) async fn acquire(pool: &Pool) -> Result<Conn, sqlx::Error> {
        Ok(Conn(match pool {
            Pool::Sqlite(p) => Db(Inner::SqliteConn(p.acquire().await?)),
            Pool::Postgres(p) => Db(Inner::PgConn(p.acquire().await?)),
        }))
    }

    pub(crate) async fn begin(pool: &Pool) -> Result<Tx, sqlx::Error> {
        Ok(Tx(match pool {
            // Takes the write lock at once: a use case reads then writes, and a
            // deferred transaction whose read became stale could not upgrade (SQLite
            // answers "database is locked" without waiting). Writers queue instead.
            Pool::Sqlite(p) => Db(Inner::SqliteTx(p.begin_with("BEGIN IMMEDIATE").await?)),
            Pool::Postgres(p) => Db(Inner::PgTx(p.begin().await?)),
        }))
    }

    /// The connection to run one query on: borrowed from a held connection or
    /// transaction, or taken from the pool for this query only.
    async fn lease(&mut self) -> Result<Lease<'_>, sqlx::Error> {
        Ok(match &mut self.0 {
            Inner::SqlitePool(p) => Lease::OwnedSqlite(p.acquire().await?),
            Inner::PgPool(p) => Lease::OwnedPostgres(p.acquire().await?),
            Inner::SqliteConn(c) => Lease::Sqlite(c),
            Inner::PgConn(c) => Lease::Postgres(c),
            Inner::SqliteTx(t) => Lease::Sqlite(t),
            Inner::PgTx(t) => Lease::Postgres(t),
        })
    }
}

enum Lease<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
    OwnedSqlite(PoolConnection<Sqlite>),
    OwnedPostgres(PoolConnection<Postgres>),
}

enum Target<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Lease<'_> {
    fn target(&mut self) -> Target<'_> {
        match self {
            Lease::Sqlite(c) => Target::Sqlite(c),
            Lease::Postgres(c) => Target::Postgres(c),
            Lease::OwnedSqlite(c) => Target::Sqlite(c),
            Lease::OwnedPostgres(c) => Target::Postgres(c),
        }
    }
}

/// One pooled connection, held until dropped. Derefs to [`Db`].
pub struct Conn(Db);

/// A transaction: one use case. Derefs to [`Db`]; rolls back unless committed.
pub struct Tx(Db);

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0 .0 {
            Inner::SqliteTx(t) => t.commit().await,
            Inner::PgTx(t) => t.commit().await,
            // A `Tx` is only ever made by `Db::begin`, over a transaction.
            Inner::SqlitePool(_) | Inner::PgPool(_) | Inner::SqliteConn(_) | Inner::PgConn(_) => Ok(()),
        }
    }
}

macro_rules! deref_to_db {
    ($t:ty) => {
        impl Deref for $t {
            type Target = Db;
            fn deref(&self) -> &Db {
                &self.0
            }
        }
        impl DerefMut for $t {
            fn deref_mut(&mut self) -> &mut Db {
                &mut self.0
            }
        }
    };
}
deref_to_db!(Conn);
deref_to_db!(Tx);

/// A value bound to a `$n` placeholder. Only engine-neutral types: text,
/// integers and floats, each possibly NULL.
#[derive(Debug)]
pub enum Arg<'q> {
    Text(Option<Cow<'q, str>>),
    I64(Option<i64>),
    I32(Option<i32>),
    I16(Option<i16>),
    F64(Option<f64>),
}

/// What can be bound to a placeholder.
pub trait Bind<'q> {
    fn into_arg(self) -> Arg<'q>;
    /// NULL, typed as `Self` would be.
    fn null() -> Arg<'q>;
}

impl<'q> Bind<'q> for &'q str {
    fn into_arg(self) -> Arg<'q> {
        Arg::Text(Some(Cow::Borrowed(self)))
    }
    fn null() -> Arg<'q> {
        Arg::Text(None)
    }
}

impl<'q> Bind<'q> for &'q String {
    fn into_arg(self) -> Arg<'q> {
        Arg::Text(Some(Cow::Borrowed(self.as_str())))
    }
    fn null() -> Arg<'q> {
        Arg::Text(None)
    }
}

impl<'q> Bind<'q> for String {
    fn into_arg(self) -> Arg<'q> {
        Arg::Text(Some(Cow::Owned(self)))
    }
    fn null() -> Arg<'q> {
        Arg::Text(None)
    }
}

macro_rules! bind_number {
    ($t:ty, $v:ident) => {
        impl<'q> Bind<'q> for $t {
            fn into_arg(self) -> Arg<'q> {
                Arg::$v(Some(self))
            }
            fn null() -> Arg<'q> {
                Arg::$v(None)
            }
        }
        impl<'q> Bind<'q> for &$t {
            fn into_arg(self) -> Arg<'q> {
                Arg::$v(Some(*self))
            }
            fn null() -> Arg<'q> {
                Arg::$v(None)
            }
        }
    };
}
bind_number!(i64, I64);
bind_number!(i32, I32);
bind_number!(i16, I16);
bind_number!(f64, F64);

impl<'q, T: Bind<'q>> Bind<'q> for Option<T> {
    fn into_arg(self) -> Arg<'q> {
        match self {
            Some(v) => v.into_arg(),
            None => T::null(),
        }
    }
    fn null() -> Arg<'q> {
        T::null()
    }
}

/// A row type both engines can decode: what `#[derive(sqlx::FromRow)]` and
/// tuples of engine-neutral types give.
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// Binds `$args` in order to a sqlx query of either engine.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for arg in $args {
            q = match arg {
                Arg::Text(Some(Cow::Borrowed(s))) => q.bind(s),
                Arg::Text(Some(Cow::Owned(s))) => q.bind(s),
                Arg::Text(None) => q.bind(None::<String>),
                Arg::I64(v) => q.bind(v),
                Arg::I32(v) => q.bind(v),
                Arg::I16(v) => q.bind(v),
                Arg::F64(v) => q.bind(v),
            };
        }
        q
    }};
}

/// What a statement changed.
#[derive(Clone, Copy, Debug)]
pub struct Done(u64);

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.0
    }
}

/// A statement whose rows are not read.
#[must_use = "a query does nothing until it is executed"]
pub struct Query<'q> {
    sql: &'q str,
    args: Vec<Arg<'q>>,
}

/// A statement (`INSERT`, `UPDATE`, `DELETE`, …) in the portable dialect, `$1…` placeholders.
pub fn query(sql: &str) -> Query<'_> {
    Query { sql, args: Vec::new() }
}

impl<'q> Query<'q> {
    pub fn bind(mut self, value: impl Bind<'q>) -> Self {
        self.args.push(value.into_arg());
        self
    }

    pub async fn execute(self, db: &mut Db) -> Result<Done, sqlx::Error> {
        let mut lease = db.lease().await?;
        let rows = match lease.target() {
            Target::Sqlite(c) => {
                bind_args!(sqlx::query::<Sqlite>(self.sql), self.args).execute(c).await?.rows_affected()
            }
            Target::Postgres(c) => {
                bind_args!(sqlx::query::<Postgres>(self.sql), self.args).execute(c).await?.rows_affected()
            }
        };
        Ok(Done(rows))
    }
}

/// A query whose rows decode into `R`.
#[must_use = "a query does nothing until it is fetched"]
pub struct QueryAs<'q, R> {
    sql: &'q str,
    args: Vec<Arg<'q>>,
    row: PhantomData<fn() -> R>,
}

pub fn query_as<R: Record>(sql: &str) -> QueryAs<'_, R> {
    QueryAs { sql, args: Vec::new(), row: PhantomData }
}

macro_rules! run_as {
    ($self:ident, $db:ident, $method:ident) => {{
        let mut lease = $db.lease().await?;
        match lease.target() {
            Target::Sqlite(c) => bind_args!(sqlx::query_as::<Sqlite, R>($self.sql), $self.args).$method(c).await,
            Target::Postgres(c) => bind_args!(sqlx::query_as::<Postgres, R>($self.sql), $self.args).$method(c).await,
        }
    }};
}

impl<'q, R: Record> QueryAs<'q, R> {
    pub fn bind(mut self, value: impl Bind<'q>) -> Self {
        self.args.push(value.into_arg());
        self
    }

    pub async fn fetch_all(self, db: &mut Db) -> Result<Vec<R>, sqlx::Error> {
        run_as!(self, db, fetch_all)
    }

    pub async fn fetch_optional(self, db: &mut Db) -> Result<Option<R>, sqlx::Error> {
        run_as!(self, db, fetch_optional)
    }

    /// The first row; `sqlx::Error::RowNotFound` when there is none.
    pub async fn fetch_one(self, db: &mut Db) -> Result<R, sqlx::Error> {
        run_as!(self, db, fetch_one)
    }
}

/// A query whose rows are one column of type `O`.
#[must_use = "a query does nothing until it is fetched"]
pub struct QueryScalar<'q, O>(QueryAs<'q, (O,)>);

pub fn query_scalar<O>(sql: &str) -> QueryScalar<'_, O>
where
    (O,): Record,
{
    QueryScalar(query_as(sql))
}

impl<'q, O> QueryScalar<'q, O>
where
    (O,): Record,
{
    pub fn bind(self, value: impl Bind<'q>) -> Self {
        QueryScalar(self.0.bind(value))
    }

    pub async fn fetch_all(self, db: &mut Db) -> Result<Vec<O>, sqlx::Error> {
        Ok(self.0.fetch_all(db).await?.into_iter().map(|(o,)| o).collect())
    }

    pub async fn fetch_optional(self, db: &mut Db) -> Result<Option<O>, sqlx::Error> {
        Ok(self.0.fetch_optional(db).await?.map(|(o,)| o))
    }

    pub async fn fetch_one(self, db: &mut Db) -> Result<O, sqlx::Error> {
        Ok(self.0.fetch_one(db).await?.0)
    }
}

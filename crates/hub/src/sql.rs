//! The two databases the hub runs on, behind one small interface: an embedded SQLite file by
//! default, PostgreSQL for a province's load. The hub's logic (`db`) is written once, in SQL both
//! understand, with `?1`-style placeholders (rewritten to `$1` for PostgreSQL) and values that are
//! integers, text or NULL (flags are 0/1 integers in both).

use std::sync::{Mutex, MutexGuard};

use postgres::types::Type;

use crate::error::DbError;

/// A value bound to or read from a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Value {
        Value::Int(v as i64)
    }
}

impl From<u8> for Value {
    fn from(v: u8) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// Binds values: `vals![a, b, c]`.
#[macro_export]
macro_rules! vals {
    ($($v:expr),* $(,)?) => { &[$($crate::sql::Value::from($v)),*] };
}

/// A row read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

impl Row {
    pub fn int(&self, i: usize) -> i64 {
        match &self.0[i] {
            Value::Int(v) => *v,
            _ => 0,
        }
    }

    pub fn opt_int(&self, i: usize) -> Option<i64> {
        match &self.0[i] {
            Value::Int(v) => Some(*v),
            _ => None,
        }
    }

    pub fn flag(&self, i: usize) -> bool {
        self.int(i) != 0
    }

    pub fn text(&self, i: usize) -> String {
        self.opt_text(i).unwrap_or_default()
    }

    pub fn opt_text(&self, i: usize) -> Option<String> {
        match &self.0[i] {
            Value::Text(v) => Some(v.clone()),
            _ => None,
        }
    }
}

/// One transaction.
pub trait Tx {
    /// Runs a statement; the rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Runs a query; its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;

    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?
            .ok_or(DbError::Refused("a query that returns a row returned none"))
    }
}

/// The database, with one connection behind a lock (each request is one short transaction).
pub enum Database {
    Sqlite(Mutex<rusqlite::Connection>),
    Postgres(Mutex<postgres::Client>),
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Database {
    /// Runs `f` in one transaction, committed if it returns `Ok`.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        match self {
            Database::Sqlite(conn) => {
                let mut conn = lock(conn);
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let mut wrapped = SqliteTx(tx);
                let out = f(&mut wrapped)?;
                wrapped.0.commit()?;
                Ok(out)
            }
            Database::Postgres(client) => {
                let mut client = lock(client);
                let tx = client.transaction()?;
                let mut wrapped = PgTx(tx);
                let out = f(&mut wrapped)?;
                wrapped.0.commit()?;
                Ok(out)
            }
        }
    }
}

struct SqliteTx<'a>(rusqlite::Transaction<'a>);

fn to_sqlite(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
    }
}

impl Tx for SqliteTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let params: Vec<_> = params.iter().map(to_sqlite).collect();
        Ok(self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let params: Vec<_> = params.iter().map(to_sqlite).collect();
        let mut stmt = self.0.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let mut row = Vec::with_capacity(columns);
            for i in 0..columns {
                row.push(match r.get::<_, rusqlite::types::Value>(i)? {
                    rusqlite::types::Value::Integer(v) => Value::Int(v),
                    rusqlite::types::Value::Text(t) => Value::Text(t),
                    rusqlite::types::Value::Real(f) => Value::Int(f as i64),
                    rusqlite::types::Value::Null | rusqlite::types::Value::Blob(_) => Value::Null,
                });
            }
            Ok(Row(row))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

struct PgTx<'a>(postgres::Transaction<'a>);

/// `?1` → `$1`.
fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

type PgParam = Box<dyn postgres::types::ToSql + Sync>;

/// Binds a value as the type PostgreSQL expects for that parameter.
fn to_pg(v: &Value, ty: &Type) -> Result<PgParam, DbError> {
    let mismatch = || DbError::Refused("a value of the wrong type for its column");
    Ok(match (v, ty) {
        (Value::Null, t) if *t == Type::INT8 => Box::new(None::<i64>),
        (Value::Null, t) if *t == Type::INT4 => Box::new(None::<i32>),
        (Value::Null, t) if *t == Type::BOOL => Box::new(None::<bool>),
        (Value::Null, _) => Box::new(None::<String>),
        (Value::Int(i), t) if *t == Type::INT8 => Box::new(*i),
        (Value::Int(i), t) if *t == Type::INT4 => {
            Box::new(i32::try_from(*i).map_err(|_| mismatch())?)
        }
        (Value::Int(i), t) if *t == Type::BOOL => Box::new(*i != 0),
        (Value::Int(i), t) if *t == Type::TEXT || *t == Type::VARCHAR => Box::new(i.to_string()),
        (Value::Text(s), t) if *t == Type::TEXT || *t == Type::VARCHAR || *t == Type::UNKNOWN => {
            Box::new(s.clone())
        }
        _ => return Err(mismatch()),
    })
}

impl PgTx<'_> {
    fn bind(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<(postgres::Statement, Vec<PgParam>), DbError> {
        let stmt = self.0.prepare(&dollars(sql))?;
        let bound = params
            .iter()
            .zip(stmt.params())
            .map(|(v, ty)| to_pg(v, ty))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((stmt, bound))
    }
}

fn refs(params: &[PgParam]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p.as_ref()).collect()
}

impl Tx for PgTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let (stmt, bound) = self.bind(sql, params)?;
        Ok(self.0.execute(&stmt, &refs(&bound))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let (stmt, bound) = self.bind(sql, params)?;
        let rows = self.0.query(&stmt, &refs(&bound))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        let ty = r.columns()[i].type_();
                        Ok(if *ty == Type::INT8 {
                            r.get::<_, Option<i64>>(i).map_or(Value::Null, Value::Int)
                        } else if *ty == Type::INT4 {
                            r.get::<_, Option<i32>>(i)
                                .map_or(Value::Null, |v| Value::Int(i64::from(v)))
                        } else if *ty == Type::BOOL {
                            r.get::<_, Option<bool>>(i)
                                .map_or(Value::Null, |v| Value::Int(i64::from(v)))
                        } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                            r.get::<_, Option<String>>(i)
                                .map_or(Value::Null, Value::Text)
                        } else {
                            return Err(DbError::Refused("a column of an unexpected type"));
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Row)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_placeholders_become_dollars_and_nothing_else_changes() {
        assert_eq!(
            dollars("SELECT a FROM t WHERE b = ?1 AND c = ?12 AND d = '?'"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 AND d = '?'"
        );
    }
}

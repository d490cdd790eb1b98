//! A fresh database per test, on SQLite or PostgreSQL, and raw SQL run around the application
//! (to create test databases, or to play an attacker who edits tables directly).

use districtops_store::Backend;

/// Where a test's database lives; removed when dropped.
pub enum TestDatabase {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self {
            Self::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Self::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // The test's runtime is shutting down: drop the database from a thread of its own.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(runtime) = runtime {
                        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        let _ = runtime.block_on(raw_execute(&admin_url, &sql));
                    }
                })
                .join();
            }
        }
    }
}

fn unique_name() -> String {
    format!(
        "dotest_{}_{}",
        std::process::id(),
        districtops_service::secrets::random_hex(6)
    )
}

pub fn postgres_admin_url() -> String {
    std::env::var("DISTRICTOPS_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Runs one statement outside the application, as a database administrator would (to create
/// test databases, or to play an attacker who edits tables directly).
pub async fn raw_execute(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await?;
        let result = sqlx::query(sql).execute(&pool).await;
        pool.close().await;
        result.map(drop)
    } else {
        let pool = sqlx::PgPool::connect(url).await?;
        let result = sqlx::query(sql).execute(&pool).await;
        pool.close().await;
        result.map(drop)
    }
}

/// A new, empty database of the backend: its URL and the guard that removes it.
pub async fn create_database(backend: Backend) -> (String, TestDatabase) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique_name());
            std::fs::create_dir_all(&dir).expect("temp dir");
            (
                format!("sqlite://{}", dir.join("test.db").display()),
                TestDatabase::Sqlite(dir),
            )
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let name = unique_name();
            raw_execute(&admin_url, &format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("PostgreSQL runs on 127.0.0.1:5432 and lets us create a database");
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(base, _)| base);
            (
                format!("{base}/{name}"),
                TestDatabase::Postgres { admin_url, name },
            )
        }
    }
}

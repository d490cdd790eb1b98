//! The command line, run as an operator would run it: the real binary against a real database.

use crate::database::raw_execute;
use crate::helpers::{AUDIT_KEY, on_both_backends, spawn_app};
use districtops_store::Backend;
use std::process::{Command, Output};

/// Runs the binary on the test app's database, with its audit key so it checks the same chain.
pub(crate) fn districtops(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_districtops"))
        .args(args)
        .args(["--database", database_url])
        .env("DISTRICTOPS__SECURITY__AUDIT_KEY", AUDIT_KEY)
        .env("RUST_LOG", "warn")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn audit_verify_names_the_first_broken_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = &app.database_url;
    let intact = districtops(url, &["audit", "verify"]);
    assert!(
        intact.status.success(),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(stdout(&intact).contains("audit chain intact"));

    let drop_trigger = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
    };
    raw_execute(url, drop_trigger).await.unwrap();
    raw_execute(url, "UPDATE audit_log SET ip = '10.0.0.1' WHERE seq = 3")
        .await
        .unwrap();
    let broken = districtops(url, &["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stdout(&broken).contains("record 3 was altered"),
        "{}",
        stdout(&broken)
    );
}

async fn accounts_are_managed_from_the_console(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = &app.database_url;
    let added = districtops(
        url,
        &[
            "user",
            "add",
            "zhao.liu",
            "--name",
            "赵六",
            "--department",
            "招商科",
            "--role",
            "staff",
        ],
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let first_password = stdout(&added)
        .lines()
        .find_map(|line| line.strip_prefix("初始密码 / first password: "))
        .expect("the first password is printed")
        .to_owned();

    let refused = districtops(url, &["user", "add", "Bad Name", "--name", "x"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("用户名须为"));

    let list = districtops(url, &["user", "list", "--format", "json"]);
    let users: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let zhao = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "zhao.liu")
        .unwrap();
    assert_eq!(zhao["roles"], serde_json::json!(["staff"]));
    assert_eq!(zhao["department_id"], app.departments["招商科"]);

    // The first password works once, and must then be changed.
    let client = app.client();
    assert_eq!(
        app.post_login(&client, "zhao.liu", &first_password)
            .await
            .status(),
        303
    );
    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/account/password");

    let disabled = districtops(url, &["user", "disable", "zhao.liu"]);
    assert!(disabled.status.success());
    assert_eq!(app.status(&client, "/account/password").await, 303);
    assert!(
        !districtops(url, &["user", "disable", "nobody"])
            .status
            .success()
    );
}

on_both_backends!(
    audit_verify_names_the_first_broken_link,
    accounts_are_managed_from_the_console
);

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["demo", "--help"],
        &["migrate", "--help"],
        &["user", "--help"],
        &["user", "add", "--help"],
        &["user", "passwd", "--help"],
        &["user", "disable", "--help"],
        &["user", "list", "--help"],
        &["backup", "--help"],
        &["audit", "verify", "--help"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_districtops"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage:"), "{args:?}");
    }
}

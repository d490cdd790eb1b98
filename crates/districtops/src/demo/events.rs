//! The demo district's events (`demo/huaiyin-events.toml`), created through the event
//! service after the ledger is imported. Projects are named by code, departments by name;
//! the totals are computed from the projects, never read from the file.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use districtops_service::events::{EventKind, NewEventInput};
use districtops_service::projects::ProjectQuery;
use districtops_service::{Ctx, Services};
use serde::Deserialize;
use std::collections::HashMap;

pub const EVENTS: &str = include_str!("../../demo/huaiyin-events.toml");

#[derive(Deserialize)]
struct DemoEvents {
    event: Vec<DemoEvent>,
}

#[derive(Deserialize)]
struct DemoEvent {
    kind: String,
    name: String,
    held_on: NaiveDate,
    place: Option<String>,
    department: String,
    notes: Option<String>,
    #[serde(default)]
    illustrative: bool,
    projects: Vec<String>,
}

/// Creates every event of the file as the command-line operator.
pub async fn seed_events(services: &Services) -> Result<()> {
    let ctx = Ctx::system();
    let events: DemoEvents = toml::from_str(EVENTS).context("reading demo/huaiyin-events.toml")?;
    let departments: HashMap<String, i64> = services
        .departments(&ctx)
        .await?
        .into_iter()
        .map(|d| (d.name, d.id))
        .collect();
    let query = ProjectQuery {
        per_page: 500,
        ..ProjectQuery::default()
    };
    let codes: HashMap<String, i64> = services
        .list_projects(&ctx, &query)
        .await?
        .rows
        .into_iter()
        .filter_map(|p| Some((p.code?, p.id)))
        .collect();
    for event in events.event {
        let Some(kind) = EventKind::parse(&event.kind) else {
            bail!("event {}: unknown kind {}", event.name, event.kind);
        };
        let Some(&department_id) = departments.get(&event.department) else {
            bail!(
                "event {}: unknown department {}",
                event.name,
                event.department
            );
        };
        let mut project_ids = Vec::new();
        for code in &event.projects {
            match codes.get(code) {
                Some(&id) => project_ids.push(id),
                None => bail!("event {}: no project {code} in the ledger", event.name),
            }
        }
        let input = NewEventInput {
            kind,
            name: event.name.clone(),
            held_on: event.held_on,
            place: event.place,
            department_id,
            notes: event.notes,
            illustrative: event.illustrative,
            project_ids,
        };
        services
            .create_event(&ctx, &input)
            .await
            .with_context(|| format!("creating event {}", event.name))?;
    }
    Ok(())
}

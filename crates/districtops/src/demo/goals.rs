//! The demo district's roadmaps (the `roadmap` of `demo/huaiyin-platforms.toml`) and annual
//! targets (`demo/huaiyin-kpis.toml`), created through the goals service after the
//! platforms exist. Targets are typed in their metric's unit, as a user types them; their
//! actuals are computed from the ledger, never read from a file.

use anyhow::{Context, Result, bail};
use chrono::Datelike;
use districtops_service::projects::goals::{KpiTargetInput, PhaseInput};
use districtops_service::{Ctx, Services};
use serde::Deserialize;
use std::collections::HashMap;

pub const KPIS: &str = include_str!("../../demo/huaiyin-kpis.toml");

#[derive(Deserialize)]
struct DemoPlatforms {
    platform: Vec<DemoPlatform>,
}

#[derive(Deserialize)]
struct DemoPlatform {
    name: String,
    /// The year the platform started: phase n is due `years` after it.
    roadmap_start: Option<i64>,
    #[serde(default)]
    roadmap: Vec<DemoPhase>,
}

#[derive(Deserialize)]
struct DemoPhase {
    years: i64,
    title: String,
    goal: String,
    #[serde(default)]
    done: bool,
}

#[derive(Deserialize)]
struct DemoKpis {
    kpi: Vec<DemoKpi>,
}

#[derive(Deserialize)]
struct DemoKpi {
    platform: Option<String>,
    /// A year, or `current` for the clock's year.
    year: String,
    name: String,
    metric: String,
    target: String,
    notes: Option<String>,
    #[serde(default)]
    illustrative: bool,
}

/// A phase of the demo roadmap: the platform's name and the phase as typed.
pub struct RoadmapPhase {
    pub platform: String,
    pub input: PhaseInput,
}

/// The phases of every platform's roadmap in `huaiyin-platforms.toml`, numbered from 1.
pub fn roadmaps(platforms_toml: &str) -> Result<Vec<RoadmapPhase>> {
    let platforms: DemoPlatforms =
        toml::from_str(platforms_toml).context("reading demo/huaiyin-platforms.toml")?;
    let mut out = Vec::new();
    for platform in platforms.platform {
        if platform.roadmap.is_empty() {
            continue;
        }
        let Some(start) = platform.roadmap_start else {
            bail!(
                "platform {} has a roadmap but no roadmap_start",
                platform.name
            );
        };
        for (i, phase) in platform.roadmap.into_iter().enumerate() {
            out.push(RoadmapPhase {
                platform: platform.name.clone(),
                input: PhaseInput {
                    ordinal: (i + 1).to_string(),
                    title: format!("{}{}", phase.title, phase.goal),
                    target: (start + phase.years).to_string(),
                    goal: phase.goal,
                    done: phase.done,
                    illustrative: false,
                },
            });
        }
    }
    Ok(out)
}

/// Creates the roadmaps and the targets as the command-line operator.
pub async fn seed_goals(services: &Services) -> Result<()> {
    let ctx = Ctx::system();
    let platforms: HashMap<String, i64> = services
        .platforms(&ctx)
        .await?
        .into_iter()
        .map(|p| (p.name, p.id))
        .collect();
    let platform_id = |name: &str| {
        platforms
            .get(name)
            .copied()
            .with_context(|| format!("unknown platform {name}"))
    };
    for phase in roadmaps(super::PLATFORMS)? {
        services
            .add_phase(&ctx, platform_id(&phase.platform)?, &phase.input)
            .await
            .with_context(|| format!("adding phase {} of {}", phase.input.title, phase.platform))?;
    }
    let kpis: DemoKpis = toml::from_str(KPIS).context("reading demo/huaiyin-kpis.toml")?;
    let this_year = services.today().year().to_string();
    // A clock in a year the file sets targets for explicitly: those targets are this year's.
    let explicit = kpis.kpi.iter().any(|k| k.year == this_year);
    for kpi in kpis.kpi {
        if kpi.year == "current" && explicit {
            continue;
        }
        let input = KpiTargetInput {
            platform_id: kpi.platform.as_deref().map(platform_id).transpose()?,
            year: if kpi.year == "current" {
                this_year.clone()
            } else {
                kpi.year
            },
            name: kpi.name.clone(),
            metric: kpi.metric,
            target: kpi.target,
            notes: kpi.notes.unwrap_or_default(),
            illustrative: kpi.illustrative,
        };
        services
            .add_kpi_target(&ctx, &input)
            .await
            .with_context(|| format!("adding target {}", kpi.name))?;
    }
    Ok(())
}
